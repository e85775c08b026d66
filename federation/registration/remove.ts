// `remove`: delete a registration from the home cluster and, with purge, everything Meridian put in
// the member: its labelled ServiceEntries and DestinationRules in the sync namespace and the
// ServiceAccount and RBAC that register created. Objects without Meridian's label are never deleted,
// and namespaces are never deleted (the home cluster may also be this member).

import { KubernetesObjectApi } from "@kubernetes/client-node";
import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";

import type { ClusterName } from "../graph-model.js";
import { changeOf, deleteIfPresent, readOptional } from "./apply.js";
import type { ObjectChange } from "./apply.js";
import { makeClient, serverOf } from "../kube/clients.js";
import { normalizeServer } from "./conflicts.js";
import { RegistrationError, classifyError, httpStatusOf } from "./errors.js";
import { deleteRegistration, readMeshCluster } from "./home-store.js";
import { memberRbacObjects } from "./member-rbac.js";
import type { Manifest } from "./member-rbac.js";
import { serverVersion } from "./member-setup.js";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, MANAGED_SELECTOR, SERVER_ANNOTATION, SYNC_NAMESPACE } from "./names.js";

/** The generated kinds purge deletes from the sync namespace. */
export const GENERATED_KINDS: readonly { apiVersion: string; kind: string }[] = Object.freeze([
  { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry" },
  { apiVersion: "networking.istio.io/v1", kind: "DestinationRule" },
]);

export interface RemoveRequest {
  cluster: ClusterName;
  home: KubeConfig;
  /** The member's admin credentials, to purge what Meridian created there. */
  purge?: KubeConfig;
  /** Purge even when the kubeconfig points at another server than the one registered. */
  force: boolean;
  progress: (line: string) => void;
}

export interface RemoveResult {
  cluster: string;
  home: ObjectChange[];
  member: ObjectChange[];
}

export async function removeCluster(request: RemoveRequest): Promise<RemoveResult> {
  const meshCluster = await readMeshCluster(request.home, request.cluster);
  if (meshCluster === undefined && request.purge === undefined) {
    throw new RegistrationError("not-found", `cluster "${request.cluster}" is not registered in ${serverOf(request.home)}`);
  }
  if (request.purge !== undefined) {
    checkPurgeTarget(request, meshCluster, request.purge);
    await serverVersion(request.purge);
  }
  // The MeshCluster first: the controller stops writing to the member before the purge.
  const home = meshCluster === undefined ? [] : await deleteRegistration(request.home, request.cluster, meshCluster);
  if (meshCluster === undefined) {
    request.progress(`Cluster "${request.cluster}" is not registered in the home cluster; purging the member only`);
  }
  const member = request.purge === undefined ? [] : await purgeMember(request.purge);
  return { cluster: request.cluster, home, member };
}

function checkPurgeTarget(request: RemoveRequest, meshCluster: KubernetesObject | undefined, member: KubeConfig): void {
  const recorded = meshCluster?.metadata?.annotations?.[SERVER_ANNOTATION];
  const given = serverOf(member);
  if (recorded !== undefined && normalizeServer(recorded) !== normalizeServer(given) && !request.force) {
    throw new RegistrationError(
      "conflict",
      `cluster "${request.cluster}" is registered for ${recorded}, but --kubeconfig points at ${given}: pass the member's kubeconfig, or --force to purge ${given} anyway`,
    );
  }
}

export async function purgeMember(member: KubeConfig): Promise<ObjectChange[]> {
  const objects = makeClient(member, KubernetesObjectApi);
  const server = serverOf(member);
  const changes: ObjectChange[] = [];
  try {
    for (const kind of GENERATED_KINDS) {
      changes.push(...(await deleteLabelled(objects, kind)));
    }
    for (const manifest of [...memberRbacObjects()].reverse()) {
      changes.push(await deleteIfOurs(objects, manifest));
    }
  } catch (err) {
    throw classifyError(err, { server, action: "purge Meridian's objects from the member" });
  }
  return changes;
}

async function deleteLabelled(objects: KubernetesObjectApi, kind: { apiVersion: string; kind: string }): Promise<ObjectChange[]> {
  let items: KubernetesObject[];
  try {
    const list = await objects.list(kind.apiVersion, kind.kind, SYNC_NAMESPACE, undefined, undefined, undefined, undefined, MANAGED_SELECTOR);
    items = list.items;
  } catch (err) {
    // Istio's CRDs are not installed: there is nothing of that kind to delete.
    if (httpStatusOf(err) === 404) return [];
    throw err;
  }
  const changes: ObjectChange[] = [];
  for (const item of items) {
    const name = item.metadata?.name ?? "";
    changes.push(await deleteIfPresent(objects, { apiVersion: kind.apiVersion, kind: kind.kind, metadata: { name, namespace: SYNC_NAMESPACE } }));
  }
  return changes;
}

async function deleteIfOurs(objects: KubernetesObjectApi, manifest: Manifest): Promise<ObjectChange> {
  const existing = await readOptional(objects, manifest);
  if (existing === undefined) {
    return changeOf(manifest, "absent");
  }
  if (existing.metadata?.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) {
    return changeOf(manifest, "kept");
  }
  return deleteIfPresent(objects, manifest);
}
