// The fleet index: everything the planner needs, found by identity or by cluster, built once per
// full plan. A workload change replaces one identity's entry and shares everything else.
import { canonical, canonicalSet, uniqueSorted } from "./compare.js";
import { dedupeByRef } from "./dedupe-refs.js";
import { type ClusterIndex, indexClusters } from "./index-clusters.js";
import { type DependencyIndex, indexDependencies, WILDCARD } from "./index-dependencies.js";
import { indexDrills } from "./index-drills.js";
import { type PolicyIndex, indexPolicies } from "./index-policies.js";
import { checkWorkloads, type IdentityWorkloads, NO_WORKLOADS } from "./index-workloads.js";
import { type LayeredMap, layeredGet, layeredKeys, layeredMap, layeredSet } from "./layered-map.js";
import type { Drill, PlanInput, PlannerOptions, Problem, Workload } from "./model.js";

export type ResolvedOptions = Required<PlannerOptions>;

export const DEFAULT_GATEWAY_NAMESPACE = "istio-system";

export interface FleetIndex {
  readonly options: ResolvedOptions;
  readonly clusters: ClusterIndex;
  /** Checked workloads by identity. */
  readonly workloads: LayeredMap<IdentityWorkloads>;
  readonly dependencies: DependencyIndex;
  readonly policies: PolicyIndex;
  /** Drills with known targets, in the order they apply. */
  readonly drills: readonly Drill[];
  /** Identities that dependencies and policies name (they may run nowhere). */
  readonly namedIdentities: ReadonlySet<string>;
  /** Problems that belong to no single identity. */
  readonly problems: readonly Problem[];
  /** Registered clusters not synced now (GraphInput.pendingClusters), sorted. */
  readonly pendingClusters: readonly string[];
}

export function indexFleet(input: PlanInput): FleetIndex {
  const clusters = indexClusters(input.clusters);
  const dependencies = dedupeByRef(input.dependencies, (d) => canonical({ ...d, destinations: canonicalSet(d.destinations) }));
  const policies = dedupeByRef(input.policies, (p) => canonical({ ...p, weights: canonicalSet(p.weights) }));
  const drills = dedupeByRef(input.drills, (d) => canonical({ ...d, identities: canonicalSet(d.identities ?? []) }));
  const drillIndex = indexDrills(clusters, drills.objects);
  return {
    options: resolveOptions(input.options),
    clusters,
    workloads: layeredMap(indexWorkloads(clusters, input.workloads)),
    dependencies: indexDependencies(dependencies.objects),
    policies: indexPolicies(policies.objects),
    drills: drillIndex.drills,
    namedIdentities: namedIdentities(dependencies.objects, policies.objects),
    problems: [...clusters.problems, ...dependencies.problems, ...policies.problems, ...drills.problems, ...drillIndex.problems],
    pendingClusters: input.pendingClusters ?? [],
  };
}

function resolveOptions(options: PlannerOptions): ResolvedOptions {
  return {
    hostSuffix: options.hostSuffix,
    syncNamespace: options.syncNamespace,
    exportToLimit: options.exportToLimit,
    gatewayNamespace: options.gatewayNamespace ?? DEFAULT_GATEWAY_NAMESPACE,
  };
}

function indexWorkloads(clusters: ClusterIndex, workloads: readonly Workload[]): Map<string, IdentityWorkloads> {
  const byIdentity = new Map<string, Workload[]>();
  for (const w of workloads) {
    const list = byIdentity.get(w.identity);
    if (list === undefined) byIdentity.set(w.identity, [w]);
    else list.push(w);
  }
  const checked = new Map<string, IdentityWorkloads>();
  for (const [identity, list] of byIdentity) checked.set(identity, checkWorkloads(clusters.byName, list));
  return checked;
}

function namedIdentities(dependencies: PlanInput["dependencies"], policies: PlanInput["policies"]): Set<string> {
  const names = new Set<string>();
  for (const dep of dependencies) {
    names.add(dep.source.identity);
    for (const dest of dep.destinations) if (dest.identity !== WILDCARD) names.add(dest.identity);
  }
  for (const policy of policies) names.add(policy.identity);
  return names;
}

/**
 * A new index in which `identity` runs exactly `workloads` (those of other identities are
 * ignored). Everything else is shared with `index`.
 */
export function withWorkloads(index: FleetIndex, identity: string, workloads: readonly Workload[]): FleetIndex {
  const own = workloads.filter((w) => w.identity === identity);
  return { ...index, workloads: layeredSet(index.workloads, identity, checkWorkloads(index.clusters.byName, own)) };
}

/** The checked workloads of an identity and the problems of those that were rejected. */
export function identityWorkloads(index: FleetIndex, identity: string): IdentityWorkloads {
  return layeredGet(index.workloads, identity) ?? NO_WORKLOADS;
}

/** The usable workloads of an identity, sorted by env, cluster, namespace and Service. */
export const workloadsOf = (index: FleetIndex, identity: string): readonly Workload[] =>
  identityWorkloads(index, identity).workloads;

/** Every identity the fleet knows of, sorted (one `withWorkloads` left without any workload is not). */
export function fleetIdentities(index: FleetIndex): string[] {
  const names = new Set([...layeredKeys(index.workloads)].filter((identity) => {
    const entry = identityWorkloads(index, identity);
    return entry.workloads.length + entry.problems.length > 0;
  }));
  for (const name of index.namedIdentities) names.add(name);
  return uniqueSorted(names);
}
