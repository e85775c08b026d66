// What `meridian diff` and `meridian explain` read from the member clusters, read-only: each
// registered member's stored credentials (its MeshCluster and Secret in the home cluster, checked
// as the controller checks them) and every ServiceEntry and DestinationRule in its sync namespace
// (LIST only; owned or not, so that name conflicts show).

import { CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import type { KubeConfig, KubernetesObject, V1Secret } from "@kubernetes/client-node";

import { describeErrors, parseMeshCluster } from "../../crds/index.js";
import { clusterName } from "../../federation/graph-model.js";
import type { ClusterName } from "../../federation/graph-model.js";
import { makeClient, serverOf } from "../../federation/kube/clients.js";
import { classifyError, httpStatusOf } from "../../federation/registration/errors.js";
import { listMeshClusters } from "../../federation/registration/home-store.js";
import { credentialsFrom } from "../../federation/registry/member-credentials.js";
import type { LiveObject } from "../core/index.js";
import { ISTIO_GROUP, ISTIO_VERSION, RECONCILED_KINDS, pluralOf } from "../reconcile/istio-kinds.js";

const REQUEST_TIMEOUT_MS = 10_000;
const PAGE_SIZE = 500;

/** A registered member: its credentials, or why they cannot be used. */
export type MemberAccess = { readonly cluster: ClusterName; readonly kubeConfig: KubeConfig } | { readonly cluster: ClusterName; readonly error: string };

/**
 * Every registered member's stored credentials, from MeshClusters and the Secrets in `namespace`
 * (the controller's namespace, the only one whose Secrets it reads). GETs and LISTs only.
 */
export async function memberAccess(home: KubeConfig, namespace: string): Promise<MemberAccess[]> {
  const core = makeClient(home, CoreV1Api, REQUEST_TIMEOUT_MS);
  const objects = await listMeshClusters(home);
  return Promise.all(objects.map((object) => accessOf(core, home, object, namespace)));
}

async function accessOf(core: CoreV1Api, home: KubeConfig, object: KubernetesObject, namespace: string): Promise<MemberAccess> {
  const cluster = clusterName(object.metadata?.name ?? "");
  const parsed = parseMeshCluster(object);
  if (!parsed.ok) return { cluster, error: `its MeshCluster is invalid: ${describeErrors(parsed.errors)}` };
  const ref = parsed.value.spec.kubeconfigSecretRef;
  const secret = ref.namespace === namespace ? await readSecret(core, home, ref) : undefined;
  const credentials = credentialsFrom({ ref, secret, watchedNamespace: namespace }, cluster, {});
  return credentials.ok ? { cluster, kubeConfig: credentials.kubeConfig } : { cluster, error: credentials.message };
}

async function readSecret(core: CoreV1Api, home: KubeConfig, ref: { namespace: string; name: string }): Promise<V1Secret | undefined> {
  try {
    return await core.readNamespacedSecret({ name: ref.name, namespace: ref.namespace });
  } catch (err) {
    if (httpStatusOf(err) === 404) return undefined;
    throw classifyError(err, { server: serverOf(home), action: `read Secret ${ref.namespace}/${ref.name}` });
  }
}

interface ObjectList {
  readonly items?: readonly (LiveObject & { metadata: { namespace?: string } })[];
  readonly metadata?: { readonly continue?: string };
}

/** Every ServiceEntry and DestinationRule in `namespace` of one member (whoever owns them). */
export async function listGeneratedKinds(kubeConfig: KubeConfig, namespace: string): Promise<LiveObject[]> {
  const api = makeClient(kubeConfig, CustomObjectsApi, REQUEST_TIMEOUT_MS);
  const lists = await Promise.all(RECONCILED_KINDS.map((kind) => listAll(api, namespace, kind)));
  return lists.flat();
}

async function listAll(api: CustomObjectsApi, namespace: string, kind: string): Promise<LiveObject[]> {
  const objects: LiveObject[] = [];
  let next: string | undefined;
  do {
    const request = { group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: pluralOf(kind), limit: PAGE_SIZE };
    const page = (await api.listNamespacedCustomObject(next === undefined ? request : { ...request, _continue: next })) as ObjectList;
    for (const item of page.items ?? []) objects.push({ ...item, kind });
    next = page.metadata?.continue || undefined;
  } while (next !== undefined);
  return objects;
}
