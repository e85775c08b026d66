// Rule 2, placement: a host is wanted where its identity+env runs and where a declared dependent
// runs, nowhere else. Also collects, per cluster, the namespaces that need the host (exportTo).
import { edgeMatchesDestinationEnv, edgeMatchesSourceEnv, type DependentEdge } from "./index-dependencies.js";
import { type FleetIndex, workloadsOf } from "./fleet-index.js";
import type { ClusterName, Workload } from "./model.js";

/** What one cluster needs of a host. */
export interface ClusterNeeds {
  /** Namespaces of the host's own workloads and of its dependents in this cluster, unique. */
  readonly namespaces: string[];
  /** A dependent here declared `*`: visibility is not narrowed. */
  wildcard: boolean;
  /** The host's own identity+env runs here (its gateway must see the host). */
  own: boolean;
}

export type Placement = Map<ClusterName, ClusterNeeds>;

/** Where the host (identity, env) is wanted; `hostWorkloads` are its own workloads. */
export function placeHost(index: FleetIndex, identity: string, env: string, hostWorkloads: readonly Workload[]): Placement {
  const placement: Placement = new Map();
  for (const w of hostWorkloads) need(placement, w, false).own = true;
  for (const edge of index.dependencies.dependents.get(identity) ?? []) addDependent(index, placement, edge, env);
  for (const edge of index.dependencies.wildcard) addDependent(index, placement, edge, env);
  return placement;
}

function addDependent(index: FleetIndex, placement: Placement, edge: DependentEdge, env: string): void {
  if (!edgeMatchesDestinationEnv(edge, env)) return;
  for (const w of workloadsOf(index, edge.source)) {
    if (edgeMatchesSourceEnv(edge, w.env)) need(placement, w, edge.wildcard);
  }
}

function need(placement: Placement, w: Workload, wildcard: boolean): ClusterNeeds {
  let needs = placement.get(w.cluster);
  if (needs === undefined) {
    needs = { namespaces: [w.namespace], wildcard, own: false };
    placement.set(w.cluster, needs);
  } else if (!needs.namespaces.includes(w.namespace)) {
    needs.namespaces.push(w.namespace);
  }
  needs.wildcard ||= wildcard;
  return needs;
}
