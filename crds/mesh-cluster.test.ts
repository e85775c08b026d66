import { describe, expect, it } from "vitest";
import { API_VERSION } from "./group-version.js";
import { meshClusterNetwork, parseMeshCluster } from "./mesh-cluster.js";

const base = {
  apiVersion: API_VERSION,
  kind: "MeshCluster",
  metadata: { name: "east-1", uid: "1234", resourceVersion: "7", generation: 3 },
  spec: { region: "us-east-1", kubeconfigSecretRef: { name: "east-1" }, gateway: { address: "10.0.0.1" } },
};

describe("parseMeshCluster", () => {
  it("applies the CRD's defaults and keeps metadata it does not know", () => {
    const result = parseMeshCluster(base);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.spec.kubeconfigSecretRef).toEqual({ name: "east-1", namespace: "meridian-system", key: "kubeconfig" });
    expect(result.value.spec.gateway?.port).toBe(15443);
    expect(result.value.metadata).toMatchObject({ uid: "1234", resourceVersion: "7", generation: 3 });
  });

  it("reads a status written by the controller", () => {
    const status = {
      observedGeneration: 3,
      conditions: [{ type: "Connected", status: "True", reason: "Reachable", message: "", lastTransitionTime: "2026-01-02T03:04:05Z" }],
      serverVersion: "v1.33.1",
      lastSyncTime: "2026-01-02T03:04:05.123Z",
      workloadCount: 12,
    };
    const result = parseMeshCluster({ ...base, status });
    expect(result).toMatchObject({ ok: true, value: { status } });
  });

  it("names the field of a bad status condition", () => {
    const conditions = [{ type: "Connected", status: "Maybe", reason: "x", message: "", lastTransitionTime: "yesterday" }];
    const result = parseMeshCluster({ ...base, status: { conditions } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path).sort()).toEqual(["status.conditions[0].lastTransitionTime", "status.conditions[0].status"]);
  });

  it("rejects another kind or API version", () => {
    expect(parseMeshCluster({ ...base, kind: "TrafficPolicy" })).toMatchObject({ ok: false, errors: [{ path: "kind" }] });
    expect(parseMeshCluster({ ...base, apiVersion: "meridian.dev/v1" })).toMatchObject({ ok: false, errors: [{ path: "apiVersion" }] });
  });
});

describe("meshClusterNetwork", () => {
  it("is spec.network, else the cluster's name", () => {
    const parsed = parseMeshCluster(base);
    if (!parsed.ok) throw new Error("fixture invalid");
    expect(meshClusterNetwork(parsed.value)).toBe("east-1");
    expect(meshClusterNetwork({ ...parsed.value, spec: { ...parsed.value.spec, network: "net-a" } })).toBe("net-a");
  });
});
