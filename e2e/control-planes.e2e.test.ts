// Three real control planes answer through @kubernetes/client-node and are really separate.
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { controlPlanes, statusOf } from "./support/clusters.js";

const NAMESPACE = "meridian-system";

describe("control planes", () => {
  const planes = controlPlanes();

  test("three control planes are running, each with its own server", () => {
    expect(planes).toHaveLength(3);
    expect(new Set(planes.map((plane) => plane.info.server)).size).toBe(3);
  });

  test.each(planes.map((plane) => [plane.info.name, plane] as const))("%s lists the namespaces the tests use", async (_name, plane) => {
    const namespaces = await plane.core.listNamespace();
    const names = namespaces.items.map((namespace) => namespace.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(["default", "kube-system", "meridian-system", "meridian-sync"]));
  });

  test("a ConfigMap created in one control plane reads back there and is absent from the others", async () => {
    for (const owner of planes) {
      const name = `e2e-${owner.info.name}-${randomUUID().slice(0, 8)}`;
      await owner.core.createNamespacedConfigMap({ namespace: NAMESPACE, body: { metadata: { name }, data: { owner: owner.info.name } } });
      const readBack = await owner.core.readNamespacedConfigMap({ namespace: NAMESPACE, name });
      expect(readBack.data).toEqual({ owner: owner.info.name });
      for (const other of planes.filter((plane) => plane !== owner)) {
        expect(await statusOf(other.core.readNamespacedConfigMap({ namespace: NAMESPACE, name }))).toBe(404);
      }
      await owner.core.deleteNamespacedConfigMap({ namespace: NAMESPACE, name });
    }
  });

  test("every control plane serves Meridian's and Istio's CRDs", async () => {
    for (const plane of planes) {
      const list = await plane.objects.list("networking.istio.io/v1", "ServiceEntry", "meridian-sync");
      expect(list.items).toEqual([]);
    }
  });
});
