// A ServiceAccount allowed to write Istio objects only in meridian-sync, using a token from the
// TokenRequest API, gets 403 everywhere else.
import { randomUUID } from "node:crypto";
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { beforeAll, describe, expect, test } from "vitest";
import { waitUntil } from "./harness/wait-until.js";
import { firstControlPlane, kubeConfigWithToken, statusOf } from "./support/clusters.js";

const SYNC = "meridian-sync";
const WRITER = "e2e-rbac-writer";

function serviceEntry(name: string, namespace: string): KubernetesObject {
  const spec = { hosts: [`${name}.global`], ports: [{ number: 80, protocol: "HTTP", name: "http" }], location: "MESH_INTERNAL", resolution: "DNS" };
  return { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name, namespace }, spec } as KubernetesObject;
}

describe("RBAC with a TokenRequest token", () => {
  const admin = firstControlPlane();
  let writer: KubernetesObjectApi;
  let token = "";

  beforeAll(async () => {
    // Applied, not created, so that re-running in watch mode against the same servers works.
    const grant: KubernetesObject[] = [
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: WRITER, namespace: SYNC } },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name: WRITER, namespace: SYNC },
        rules: [{ apiGroups: ["networking.istio.io"], resources: ["serviceentries", "destinationrules"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] }],
      } as KubernetesObject,
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: WRITER, namespace: SYNC },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: WRITER },
        subjects: [{ kind: "ServiceAccount", name: WRITER, namespace: SYNC }],
      } as KubernetesObject,
    ];
    for (const object of grant) await admin.objects.patch(object, undefined, undefined, "meridian-e2e", true, PatchStrategy.ServerSideApply);
    const tokenRequest = await admin.core.createNamespacedServiceAccountToken({ namespace: SYNC, name: WRITER, body: { spec: { audiences: [], expirationSeconds: 600 } } });
    token = tokenRequest.status?.token ?? "";
    // A user name of its own: client-node caches credentials by user name.
    writer = KubernetesObjectApi.makeApiClient(kubeConfigWithToken(admin.kubeConfig, `${WRITER}-${admin.info.name}-${randomUUID().slice(0, 8)}`, token));
    // The RBAC authorizer learns of new bindings through a watch: wait until the grant is visible.
    await waitUntil(async () => (await statusOf(writer.list("networking.istio.io/v1", "ServiceEntry", SYNC))) === undefined, {
      what: "the RoleBinding to take effect",
      timeoutMs: 15_000,
    });
  });

  test("TokenRequest returned a signed token (a JWT)", () => {
    expect(token.split(".")).toHaveLength(3);
  });

  test("may create and delete ServiceEntries in meridian-sync", async () => {
    const created = await writer.create(serviceEntry("rbac-allowed", SYNC));
    expect(created.metadata?.namespace).toBe(SYNC);
    await writer.delete(created);
  });

  test("gets 403 for ServiceEntries in another namespace", async () => {
    expect(await statusOf(writer.create(serviceEntry("rbac-denied", "meridian-system")))).toBe(403);
    expect(await statusOf(writer.list("networking.istio.io/v1", "ServiceEntry", "meridian-system"))).toBe(403);
  });

  test("gets 403 for other kinds, even in meridian-sync", async () => {
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "rbac-denied", namespace: SYNC } };
    expect(await statusOf(writer.create(configMap))).toBe(403);
    expect(await statusOf(writer.list("v1", "Namespace"))).toBe(403);
  });
});
