// Server-side apply with field manager `meridian` and force: the write path Meridian uses.
import { PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, test } from "vitest";
import { firstControlPlane } from "./support/clusters.js";

const FIELD_MANAGER = "meridian";

function desiredServiceEntry(): KubernetesObject {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "ServiceEntry",
    metadata: { name: "ssa-payments", namespace: "meridian-sync", labels: { "app.kubernetes.io/managed-by": "meridian" } },
    spec: {
      hosts: ["prod.ssa-payments.global"],
      ports: [{ number: 80, protocol: "HTTP", name: "http" }],
      location: "MESH_INTERNAL",
      resolution: "DNS",
      endpoints: [{ address: "gw.us-east.example.com", ports: { http: 15443 }, locality: "us-east-1/us-east-1a" }],
    },
  } as KubernetesObject;
}

describe("server-side apply", () => {
  const { objects } = firstControlPlane();
  const apply = (object: KubernetesObject): Promise<KubernetesObject> =>
    objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);

  test("creates the object owned by the meridian field manager", async () => {
    const applied = await apply(desiredServiceEntry());
    const managers = (applied.metadata?.managedFields ?? []).map((entry) => [entry.manager, entry.operation]);
    expect(managers).toContainEqual([FIELD_MANAGER, "Apply"]);
  });

  test("a second identical apply leaves resourceVersion unchanged", async () => {
    const first = await apply(desiredServiceEntry());
    const second = await apply(desiredServiceEntry());
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
  });

  test("a changed apply bumps resourceVersion and the change reads back", async () => {
    const before = await apply(desiredServiceEntry());
    const changed = desiredServiceEntry() as KubernetesObject & { spec: { ports: unknown[] } };
    changed.spec.ports = [{ number: 8080, protocol: "HTTP", name: "http" }];
    const after = await apply(changed);
    expect(after.metadata?.resourceVersion).not.toBe(before.metadata?.resourceVersion);
    const readBack = (await objects.read({ apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name: "ssa-payments", namespace: "meridian-sync" } })) as typeof changed;
    expect(readBack.spec.ports).toEqual([{ number: 8080, protocol: "HTTP", name: "http" }]);
    await objects.delete(readBack);
  });
});
