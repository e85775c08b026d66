import { describe, expect, it } from "vitest";

import { goMissingMessage, istiodMissingMessage, redisMissingMessage, toxiproxyMissingMessage } from "./prerequisite-messages.js";

describe("prerequisite messages", () => {
  it("no Go and no KUBEBUILDER_ASSETS: one line naming both ways out", () => {
    const line = goMissingMessage("Go was not found on PATH");
    expect(line).toBe(
      "Go was not found on PATH. The e2e harness builds kube-apiserver and etcd from source: install Go >= 1.24 (https://go.dev/dl; Go fetches the newer toolchain Kubernetes needs by itself), or set KUBEBUILDER_ASSETS to a directory holding kube-apiserver and etcd.",
    );
    expect(line).not.toContain("\n");
  });

  it("no Go and no prebuilt istiod: one line naming both ways out", () => {
    const line = istiodMissingMessage();
    expect(line).toBe(
      "Go (>= 1.24) was not found: istiod (pilot-discovery) and the xDS probe are built from the istio.io/istio Go module. Install Go (https://go.dev/dl), or set MERIDIAN_PILOT_DISCOVERY and MERIDIAN_XDS_PROBE to prebuilt binaries.",
    );
    expect(line).not.toContain("\n");
  });

  it("no Redis: one line with the command that installs it, per system, and REDIS_URL", () => {
    const line = redisMissingMessage();
    expect(line).toContain("sudo apt-get install redis-server");
    expect(line).toContain("brew install redis");
    expect(line).toContain("REDIS_URL=redis://HOST:PORT");
    expect(line).not.toContain("\n");
  });

  it("no Go and no prebuilt Toxiproxy: one line naming both ways out", () => {
    const line = toxiproxyMissingMessage();
    expect(line).toBe(
      "Go (>= 1.24) was not found: the fault suite builds Toxiproxy from its Go module (e2e/go/toxiproxy). Install Go (https://go.dev/dl), or set MERIDIAN_TOXIPROXY to a prebuilt toxiproxy-server (v2.5.0).",
    );
    expect(line).not.toContain("\n");
  });
});
