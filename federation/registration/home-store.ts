// I/O in the home cluster: reading, storing and deleting a registration (the member's Secret and its
// MeshCluster). Writes are server-side applies with field manager `meridian`.

import { KubernetesObjectApi } from "@kubernetes/client-node";
import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";

import { API_VERSION, RESOURCES } from "../../crds/index.js";
import type { ClusterName } from "../graph-model.js";
import { applyObject, changeOf, deleteIfPresent, readOptional } from "./apply.js";
import type { ObjectChange } from "./apply.js";
import { makeClient, serverOf } from "../kube/clients.js";
import type { ExistingRegistration } from "./conflicts.js";
import { RegistrationError, classifyError, httpStatusOf } from "./errors.js";
import type { Manifest } from "./member-rbac.js";
import { CLUSTER_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE, MERIDIAN_NAMESPACE, memberSecretName } from "./names.js";

const MESH_CLUSTER = RESOURCES.MeshCluster;

function meshClusterHeader(cluster: string): Manifest {
  return { apiVersion: API_VERSION, kind: MESH_CLUSTER.kind, metadata: { name: cluster } };
}

function secretHeader(cluster: ClusterName): Manifest {
  return { apiVersion: "v1", kind: "Secret", metadata: { name: memberSecretName(cluster), namespace: MERIDIAN_NAMESPACE } };
}

export async function readRegistration(home: KubeConfig, cluster: ClusterName): Promise<ExistingRegistration> {
  const objects = makeClient(home, KubernetesObjectApi);
  const meshCluster = await homeCall(home, `read MeshCluster ${cluster}`, () => readOptional(objects, meshClusterHeader(cluster)));
  const secret = await homeCall(home, `read Secret ${MERIDIAN_NAMESPACE}/${memberSecretName(cluster)}`, () => readOptional(objects, secretHeader(cluster)));
  return { ...(meshCluster === undefined ? {} : { meshCluster }), ...(secret === undefined ? {} : { secret }) };
}

export async function readMeshCluster(home: KubeConfig, cluster: string): Promise<KubernetesObject | undefined> {
  const objects = makeClient(home, KubernetesObjectApi);
  return homeCall(home, `read MeshCluster ${cluster}`, () => readOptional(objects, meshClusterHeader(cluster)));
}

export async function listMeshClusters(home: KubeConfig): Promise<KubernetesObject[]> {
  const objects = makeClient(home, KubernetesObjectApi);
  const list = await homeCall(home, "list MeshClusters", () => objects.list(API_VERSION, MESH_CLUSTER.kind));
  return [...list.items].sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
}

/** The Secret first, so the MeshCluster never names a Secret that does not exist yet. */
export async function storeRegistration(home: KubeConfig, secret: Manifest, meshCluster: Manifest, dryRun: boolean): Promise<ObjectChange[]> {
  const objects = makeClient(home, KubernetesObjectApi);
  const secretChange = await homeCall(home, `apply Secret ${MERIDIAN_NAMESPACE}/${secret.metadata.name}`, () => applyObject(objects, secret, dryRun));
  const clusterChange = await homeCall(home, `apply MeshCluster ${meshCluster.metadata.name}`, () => applyObject(objects, meshCluster, dryRun));
  return [secretChange, clusterChange];
}

/**
 * Deletes the MeshCluster, then its Secret: the one it references if that Secret carries Meridian's
 * labels for this cluster, else the conventional one if labelled. Unlabelled Secrets are kept.
 */
export async function deleteRegistration(home: KubeConfig, cluster: ClusterName, meshCluster: KubernetesObject): Promise<ObjectChange[]> {
  const objects = makeClient(home, KubernetesObjectApi);
  const clusterChange = await homeCall(home, `delete MeshCluster ${cluster}`, () => deleteIfPresent(objects, meshClusterHeader(cluster)));
  const header = referencedSecret(meshCluster) ?? secretHeader(cluster);
  const secret = await homeCall(home, `read Secret ${header.metadata.namespace ?? ""}/${header.metadata.name}`, () => readOptional(objects, header));
  if (secret === undefined) {
    return [clusterChange, changeOf(header, "absent")];
  }
  const labels = secret.metadata?.labels ?? {};
  if (labels[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE || labels[CLUSTER_LABEL] !== cluster) {
    return [clusterChange, changeOf(header, "kept")];
  }
  const secretChange = await homeCall(home, `delete Secret ${header.metadata.namespace ?? ""}/${header.metadata.name}`, () => deleteIfPresent(objects, header));
  return [clusterChange, secretChange];
}

function referencedSecret(meshCluster: KubernetesObject): Manifest | undefined {
  const ref = (meshCluster as { spec?: { kubeconfigSecretRef?: { name?: string; namespace?: string } } }).spec?.kubeconfigSecretRef;
  if (ref?.name === undefined) {
    return undefined;
  }
  return { apiVersion: "v1", kind: "Secret", metadata: { name: ref.name, namespace: ref.namespace ?? MERIDIAN_NAMESPACE } };
}

async function homeCall<T>(home: KubeConfig, action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (httpStatusOf(err) === 404 && err instanceof Error && err.message.startsWith("Failed to fetch resource metadata")) {
      throw new RegistrationError(
        "runtime",
        `the home cluster ${serverOf(home)} does not serve ${MESH_CLUSTER.plural}.meridian.dev: install Meridian's CRDs first (kubectl apply -f crds/)`,
      );
    }
    throw classifyError(err, { server: serverOf(home), action });
  }
}
