// The member clusters' generated objects compared with the plan: what Meridian owns in each
// cluster's sync namespace (for a set of identities), and what the pure planner wants there for the
// graph a fresh federation sees. "The end state equals the plan from the final inputs" is
// `expect(await liveObjects(...)).toEqual(plannedObjects(...))`.
import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";

import { IDENTITY_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE, plan } from "../../controller/core/index.js";
import type { PlannerOptions } from "../../controller/core/index.js";
import { canonical } from "../../federation/graph/change-keys.js";
import type { GraphSnapshot } from "../../federation/graph/model.js";
import type { ConnectedControlPlane } from "./clusters.js";

/** cluster → `Kind/name` → { labels, spec }, only objects labelled with one of the identities. */
export type FleetObjects = Record<string, Record<string, { labels: Record<string, string>; spec: unknown }>>;

const ISTIO = { group: "networking.istio.io", version: "v1" };
const PLURALS = { ServiceEntry: "serviceentries", DestinationRule: "destinationrules" } as const;

export async function liveObjects(members: readonly { cluster: string; plane: ConnectedControlPlane }[], syncNamespace: string, identities: ReadonlySet<string>): Promise<FleetObjects> {
  const fleet: FleetObjects = {};
  for (const { cluster, plane } of members) {
    const api = plane.kubeConfig.makeApiClient(CustomObjectsApi);
    const objects: FleetObjects[string] = {};
    for (const [kind, plural] of Object.entries(PLURALS)) {
      const list = (await api.listNamespacedCustomObject({ ...ISTIO, namespace: syncNamespace, plural, labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}` })) as { items: (KubernetesObject & { spec: unknown })[] };
      addOwned(objects, kind, list.items, identities);
    }
    fleet[cluster] = objects;
  }
  return fleet;
}

function addOwned(objects: FleetObjects[string], kind: string, items: readonly (KubernetesObject & { spec: unknown })[], identities: ReadonlySet<string>): void {
  for (const item of items) {
    const labels = item.metadata?.labels ?? {};
    if (identities.has(labels[IDENTITY_LABEL] ?? "")) objects[`${kind}/${item.metadata?.name ?? ""}`] = { labels: canonical(labels) as Record<string, string>, spec: canonical(item.spec) };
  }
}

export function plannedObjects(snapshot: GraphSnapshot, options: PlannerOptions, clusters: readonly string[], identities: ReadonlySet<string>): FleetObjects {
  const planned = plan({ ...snapshot, options });
  const fleet: FleetObjects = {};
  for (const cluster of clusters) {
    const objects: FleetObjects[string] = {};
    const clusterPlan = planned.clusters.find((entry) => entry.cluster === cluster);
    for (const object of [...(clusterPlan?.serviceEntries ?? []), ...(clusterPlan?.destinationRules ?? [])]) {
      const labels = object.metadata.labels ?? {};
      if (identities.has(labels[IDENTITY_LABEL] ?? "")) objects[`${object.kind}/${object.metadata.name}`] = { labels: canonical(labels) as Record<string, string>, spec: canonical(object.spec) };
    }
    fleet[cluster] = objects;
  }
  return fleet;
}
