// The e2e harness's only view of the environment: read once, validated, frozen, passed down.
import { homedir } from "node:os";
import { join } from "node:path";

export interface HarnessConfig {
  /** envtest convention: a directory holding prebuilt `kube-apiserver` and `etcd`. */
  readonly kubebuilderAssets: string | undefined;
  /** An existing Redis to use instead of starting one. */
  readonly redisUrl: string | undefined;
  /** Istio's CRD file, to skip `go mod download` (for machines without Go). */
  readonly istioCrdsFile: string | undefined;
  /** Prebuilt Istio programs (otherwise built from e2e/go/istio-validate and e2e/go/pilot-discovery). */
  readonly istioValidate: string | undefined;
  readonly pilotDiscovery: string | undefined;
  readonly xdsProbe: string | undefined;
  /** A prebuilt Toxiproxy server for the fault suite (otherwise built from e2e/go/toxiproxy). */
  readonly toxiproxy: string | undefined;
  /** Where built binaries are kept: `<cacheHome>/meridian/envtest/<k8s-version>/`. */
  readonly cacheHome: string;
  /** Directories searched for `go` and `redis-server`. */
  readonly searchPath: readonly string[];
  /** Environment passed to `go` (GOCACHE, GOMODCACHE, GOPROXY, HOME and the rest). */
  readonly goEnv: Readonly<Record<string, string | undefined>>;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/** The one place the harness reads `process.env`. */
export function readHarnessConfig(env: NodeJS.ProcessEnv = process.env): HarnessConfig {
  const cacheHome = nonEmpty(env["XDG_CACHE_HOME"]) ?? join(env["HOME"] ?? homedir(), ".cache");
  return Object.freeze({
    kubebuilderAssets: nonEmpty(env["KUBEBUILDER_ASSETS"]),
    redisUrl: nonEmpty(env["REDIS_URL"]),
    istioCrdsFile: nonEmpty(env["MERIDIAN_ISTIO_CRDS"]),
    istioValidate: nonEmpty(env["MERIDIAN_ISTIO_VALIDATE"]),
    pilotDiscovery: nonEmpty(env["MERIDIAN_PILOT_DISCOVERY"]),
    xdsProbe: nonEmpty(env["MERIDIAN_XDS_PROBE"]),
    toxiproxy: nonEmpty(env["MERIDIAN_TOXIPROXY"]),
    cacheHome,
    searchPath: Object.freeze((env["PATH"] ?? "").split(":").filter((dir) => dir !== "")),
    goEnv: Object.freeze({ ...env }),
  });
}
