// The one line printed for each missing prerequisite of the tests and the demo (pure; unit-tested).

export const MINIMUM_GO_MINOR = 24;

/** No Go (or one too old) and no KUBEBUILDER_ASSETS. `detail` says what was found. */
export function goMissingMessage(detail: string): string {
  return (
    `${detail}. The e2e harness builds kube-apiserver and etcd from source: install Go >= 1.${MINIMUM_GO_MINOR} ` +
    "(https://go.dev/dl; Go fetches the newer toolchain Kubernetes needs by itself), " +
    "or set KUBEBUILDER_ASSETS to a directory holding kube-apiserver and etcd."
  );
}

/** No REDIS_URL, no container runtime and no redis-server on PATH. */
export function redisMissingMessage(): string {
  return (
    "redis-server was not found on PATH, REDIS_URL is not set and no container runtime answers: " +
    "install it with `sudo apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), " +
    "or set REDIS_URL=redis://HOST:PORT to a Redis >= 6.2 with maxmemory-policy noeviction."
  );
}

/** No Go, and istiod (pilot-discovery) or the xDS probe neither given nor cached. */
export function istiodMissingMessage(): string {
  return (
    `Go (>= 1.${MINIMUM_GO_MINOR}) was not found: istiod (pilot-discovery) and the xDS probe are built from the istio.io/istio Go module. ` +
    "Install Go (https://go.dev/dl), or set MERIDIAN_PILOT_DISCOVERY and MERIDIAN_XDS_PROBE to prebuilt binaries."
  );
}

/** No Go, and Toxiproxy neither given nor cached. */
export function toxiproxyMissingMessage(): string {
  return (
    `Go (>= 1.${MINIMUM_GO_MINOR}) was not found: the fault suite builds Toxiproxy from its Go module (e2e/go/toxiproxy). ` +
    "Install Go (https://go.dev/dl), or set MERIDIAN_TOXIPROXY to a prebuilt toxiproxy-server (v2.5.0)."
  );
}
