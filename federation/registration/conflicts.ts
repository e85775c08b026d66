// Whether registering `cluster` for `server` would take over something that belongs to another
// registration: a MeshCluster of that name for another server, or objects register did not create.

import type { KubernetesObject } from "@kubernetes/client-node";

import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, MERIDIAN_NAMESPACE, SERVER_ANNOTATION, memberSecretName } from "./names.js";
import type { ClusterName } from "../graph-model.js";

export interface ExistingRegistration {
  meshCluster?: KubernetesObject;
  secret?: KubernetesObject;
}

/** The conflict, as one line, or undefined. `--force` accepts it. */
export function registrationConflict(existing: ExistingRegistration, cluster: ClusterName, server: string): string | undefined {
  return meshClusterConflict(existing.meshCluster, cluster, server) ?? secretConflict(existing.secret, cluster);
}

function meshClusterConflict(meshCluster: KubernetesObject | undefined, cluster: ClusterName, server: string): string | undefined {
  if (meshCluster === undefined) {
    return undefined;
  }
  const recorded = meshCluster.metadata?.annotations?.[SERVER_ANNOTATION];
  if (recorded === undefined) {
    return `a MeshCluster named "${cluster}" exists that register did not create (no ${SERVER_ANNOTATION} annotation): choose another name, or pass --force to take it over`;
  }
  if (normalizeServer(recorded) !== normalizeServer(server)) {
    return `cluster name "${cluster}" is already registered for ${recorded} (this kubeconfig points at ${server}): choose another name, or pass --force to re-point it`;
  }
  return undefined;
}

function secretConflict(secret: KubernetesObject | undefined, cluster: ClusterName): string | undefined {
  if (secret === undefined || secret.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE) {
    return undefined;
  }
  return `Secret ${MERIDIAN_NAMESPACE}/${memberSecretName(cluster)} exists and is not Meridian's (no ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE} label): remove it, or pass --force to take it over`;
}

/**
 * The same API server under another name, as one line, or undefined. Refused like a name conflict
 * (`--force` accepts it): each name would write its own desired state into the same objects of that
 * server, and every change would flip them; its endpoints would also be counted twice.
 */
export function sameServerConflict(meshClusters: readonly KubernetesObject[], cluster: ClusterName, server: string): string | undefined {
  const twins = sameServerClusters(meshClusters, cluster, server);
  if (twins.length === 0) {
    return undefined;
  }
  const names = twins.map((name) => `"${name}"`).join(", ");
  return `${server} is already registered as ${names}: under two names its ServiceEntries would get two different desired states and its endpoints would be counted twice; use ${twins.length === 1 ? "that name" : "one of those names"}, remove it first (meridian cluster remove ${twins[0] ?? ""}), or pass --force to register it again anyway`;
}

/** Other registered clusters with the same server: registering one cluster twice doubles its endpoints. */
export function sameServerClusters(meshClusters: readonly KubernetesObject[], cluster: ClusterName, server: string): string[] {
  return meshClusters
    .filter((mc) => mc.metadata?.name !== cluster)
    .filter((mc) => {
      const recorded = mc.metadata?.annotations?.[SERVER_ANNOTATION];
      return recorded !== undefined && normalizeServer(recorded) === normalizeServer(server);
    })
    .map((mc) => mc.metadata?.name ?? "")
    .sort();
}

export function normalizeServer(server: string): string {
  return server.replace(/\/+$/, "").toLowerCase();
}
