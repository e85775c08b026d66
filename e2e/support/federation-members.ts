// Registering member clusters for the federation e2e tests the way `meridian cluster register` does:
// registration's ServiceAccount and least-privilege RBAC in the member, a TokenRequest token, a token
// kubeconfig in Secret meridian-member-<cluster> of the home cluster, and the MeshCluster naming it.

import { AuthorizationV1Api, CoreV1Api, CustomObjectsApi, PatchStrategy } from "@kubernetes/client-node";
import type { KubeConfig, KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import { stringify } from "yaml";

import { API_VERSION, GROUP, VERSION } from "../../crds/index.js";
import type { MeshClusterStatus } from "../../crds/index.js";
import { requestToken, setUpMember } from "../../federation/registration/member-setup.js";
import { MERIDIAN_NAMESPACE, memberSecretName } from "../../federation/registration/names.js";
import { clusterName } from "../../federation/graph-model.js";
import { waitUntil } from "../harness/wait-until.js";
import { kubeConfigWithToken } from "./clusters.js";
import type { ConnectedControlPlane } from "./clusters.js";

export const E2E_MANAGER = "meridian-e2e";

export function apply(objects: KubernetesObjectApi, object: KubernetesObject): Promise<KubernetesObject> {
  return objects.patch(object, undefined, undefined, E2E_MANAGER, true, PatchStrategy.ServerSideApply);
}

/** A kubeconfig for `server` with `token`; the user is called `user` (tests use `admin` everywhere). */
export function tokenKubeconfigYaml(server: string, caData: string | undefined, token: string, user = "admin"): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "member", cluster: caData === undefined ? { server } : { server, "certificate-authority-data": caData } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: "member", context: { cluster: "member", user } }],
    "current-context": "member",
  });
}

export function caDataOf(kubeConfig: KubeConfig): string | undefined {
  return kubeConfig.getCurrentCluster()?.caData;
}

/** Registration's ServiceAccount and RBAC in the member, and a fresh token kubeconfig for it. */
export async function memberCredentials(member: ConnectedControlPlane): Promise<string> {
  await setUpMember(member.kubeConfig, false);
  const { token } = await requestToken(member.kubeConfig);
  await waitForAccess(member, token);
  return tokenKubeconfigYaml(member.info.server, caDataOf(member.kubeConfig), token);
}

/** New RBAC bindings reach the authorizer through a watch: wait until the token may list EndpointSlices. */
export async function waitForAccess(member: ConnectedControlPlane, token: string, resource = "endpointslices"): Promise<void> {
  const api = kubeConfigWithToken(member.kubeConfig, `probe-${Math.random().toString(36).slice(2, 8)}`, token).makeApiClient(AuthorizationV1Api);
  const attributes = { verb: "list", group: resource === "endpointslices" ? "discovery.k8s.io" : "", resource };
  await waitUntil(async () => (await api.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: attributes } } })).status?.allowed === true, {
    what: `the member's RBAC to allow list ${resource}`,
    timeoutMs: 15_000,
  });
}

export interface MemberSpec {
  region: string;
  zone?: string;
  gateway?: Record<string, unknown>;
  discovery?: Record<string, unknown>;
  /** Defaults to the conventional Secret. */
  secretName?: string;
}

/** Writes the Secret (unless `kubeconfig` is undefined) and the MeshCluster into the home cluster. */
export async function register(home: ConnectedControlPlane, cluster: string, kubeconfig: string | undefined, spec: MemberSpec): Promise<void> {
  const secretName = spec.secretName ?? memberSecretName(clusterName(cluster));
  if (kubeconfig !== undefined) {
    await writeSecret(home, secretName, { kubeconfig: Buffer.from(kubeconfig).toString("base64") });
  }
  const { secretName: _omit, ...placement } = spec;
  await apply(home.objects, {
    apiVersion: API_VERSION,
    kind: "MeshCluster",
    metadata: { name: cluster },
    spec: { ...placement, kubeconfigSecretRef: { name: secretName, namespace: MERIDIAN_NAMESPACE, key: "kubeconfig" } },
  } as KubernetesObject);
}

export async function writeSecret(home: ConnectedControlPlane, name: string, data: Record<string, string>): Promise<void> {
  await apply(home.objects, { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: MERIDIAN_NAMESPACE }, data } as KubernetesObject);
}

/** Deletes every MeshCluster of the home cluster (this file owns them while it runs) and the member Secrets. */
export async function unregisterAll(home: ConnectedControlPlane): Promise<void> {
  const custom = home.kubeConfig.makeApiClient(CustomObjectsApi);
  const list = (await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: "meshclusters" })) as { items: KubernetesObject[] };
  for (const item of list.items) {
    await custom.deleteClusterCustomObject({ group: GROUP, version: VERSION, plural: "meshclusters", name: item.metadata?.name ?? "" });
  }
  const core = home.kubeConfig.makeApiClient(CoreV1Api);
  const secrets = await core.listNamespacedSecret({ namespace: MERIDIAN_NAMESPACE });
  for (const secret of secrets.items.filter((s) => (s.metadata?.name ?? "").startsWith("meridian-member-"))) {
    await core.deleteNamespacedSecret({ namespace: MERIDIAN_NAMESPACE, name: secret.metadata?.name ?? "" });
  }
}

export async function meshClusterStatus(home: ConnectedControlPlane, cluster: string): Promise<MeshClusterStatus | undefined> {
  const custom = home.kubeConfig.makeApiClient(CustomObjectsApi);
  const object = (await custom.getClusterCustomObject({ group: GROUP, version: VERSION, plural: "meshclusters", name: cluster })) as { status?: MeshClusterStatus };
  return object.status;
}

/** `{ Connected: "True Connected", … }`: status and reason of each condition. */
export async function conditionsOf(home: ConnectedControlPlane, cluster: string): Promise<Record<string, string>> {
  const status = await meshClusterStatus(home, cluster);
  return Object.fromEntries((status?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}`]));
}

export async function conditionMessage(home: ConnectedControlPlane, cluster: string, type: string): Promise<string> {
  const status = await meshClusterStatus(home, cluster);
  return status?.conditions?.find((c) => c.type === type)?.message ?? "";
}

/** Waits until the cluster's conditions include every `expected` entry (`type: "status reason"`). */
export async function waitForConditions(home: ConnectedControlPlane, cluster: string, expected: Record<string, string>, timeoutMs = 30_000): Promise<void> {
  let last: Record<string, string> = {};
  try {
    await waitUntil(
      async () => {
        last = await conditionsOf(home, cluster);
        return Object.entries(expected).every(([type, value]) => last[type] === value);
      },
      { what: `MeshCluster ${cluster} conditions ${JSON.stringify(expected)}`, timeoutMs, intervalMs: 200 },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen ${JSON.stringify(last)}`, { cause: err });
  }
}

/** Deletes every ServiceDependency, TrafficPolicy and FailoverDrill of the home cluster (for files that need exact counts, or a controller that must not run another file's drill). */
export async function deleteHomeObjects(home: ConnectedControlPlane): Promise<void> {
  const custom = home.kubeConfig.makeApiClient(CustomObjectsApi);
  for (const plural of ["servicedependencies", "trafficpolicies", "failoverdrills"]) {
    const list = (await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural })) as { items: KubernetesObject[] };
    for (const o of list.items) {
      await custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, plural, namespace: o.metadata?.namespace ?? "", name: o.metadata?.name ?? "" }).catch(() => undefined);
    }
  }
}
