// `explain`, part one: why a host is (or is not) wanted in one cluster. The verdict is the
// planner's own (`placeHost`); this names the workloads and ServiceDependencies behind it.
import { type FleetIndex, workloadsOf } from "./fleet-index.js";
import { WILDCARD } from "./index-dependencies.js";
import type { ClusterName, Dependency, DependencyTarget, ObjectRef, Workload } from "./model.js";
import { compareStrings, uniqueSorted } from "./compare.js";
import { describeRef } from "./problems.js";

/** One reason a host is wanted in a cluster. */
export type PlacementReason =
  | { readonly kind: "Runs"; readonly namespaces: readonly string[] }
  | { readonly kind: "Dependency"; readonly dependency: ObjectRef; readonly source: string; readonly namespaces: readonly string[]; readonly wildcard: boolean };

/** A ServiceDependency that names the host but does not place it in this cluster, and why. */
export interface UnusedDependency {
  readonly dependency: ObjectRef;
  readonly why: string;
}

export interface PlacementFacts {
  readonly reasons: readonly PlacementReason[];
  readonly unused: readonly UnusedDependency[];
}

interface HostAt {
  readonly identity: string;
  readonly env: string;
  readonly cluster: ClusterName;
}

export function placementFacts(index: FleetIndex, at: HostAt, hostWorkloads: readonly Workload[]): PlacementFacts {
  const reasons: PlacementReason[] = [];
  const own = hostWorkloads.filter((w) => w.cluster === at.cluster);
  if (own.length > 0) reasons.push({ kind: "Runs", namespaces: uniqueSorted(own.map((w) => w.namespace)) });
  const unused: UnusedDependency[] = [];
  for (const dep of allDependencies(index)) {
    for (const dest of dep.destinations.filter((d) => d.identity === at.identity || d.identity === WILDCARD)) {
      const verdict = dependencyVerdict(index, dep, dest, at);
      if ("reason" in verdict) reasons.push(verdict.reason);
      else unused.push({ dependency: dep.ref, why: verdict.why });
    }
  }
  return { reasons, unused };
}

/** Every dependency once, in reference order (the index keeps them by source). */
function allDependencies(index: FleetIndex): Dependency[] {
  const all = [...index.dependencies.bySource.values()].flat();
  return all.sort((a, b) => compareStrings(describeRef(a.ref), describeRef(b.ref)));
}

function dependencyVerdict(index: FleetIndex, dep: Dependency, dest: DependencyTarget, at: HostAt): { reason: PlacementReason } | { why: string } {
  const wildcard = dest.identity === WILDCARD;
  if (dest.env !== undefined && dest.env !== at.env) {
    const runs = workloadsOf(index, at.identity).some((w) => w.env === dest.env);
    return { why: `names env ${dest.env} of ${wildcard ? "every identity" : at.identity}${runs ? "" : `, where ${at.identity} does not run`}, not env ${at.env}` };
  }
  const sources = workloadsOf(index, dep.source.identity).filter((w) => dep.source.env === undefined || w.env === dep.source.env);
  const here = sources.filter((w) => w.cluster === at.cluster);
  if (here.length > 0) {
    return { reason: { kind: "Dependency", dependency: dep.ref, source: dep.source.identity, namespaces: uniqueSorted(here.map((w) => w.namespace)), wildcard } };
  }
  const envText = dep.source.env === undefined ? "" : ` (env ${dep.source.env})`;
  const elsewhere = uniqueSorted(sources.map((w) => w.cluster));
  const where = elsewhere.length === 0 ? "runs in no registered cluster" : `runs only in ${elsewhere.join(", ")}`;
  return { why: `its source ${dep.source.identity}${envText} ${where}, not in ${at.cluster}` };
}

/** The sentence for one reason. */
export function describeReason(reason: PlacementReason, at: HostAt): string {
  if (reason.kind === "Runs") return `${at.identity} (env ${at.env}) runs in ${at.cluster} (namespace ${reason.namespaces.join(", ")})`;
  const what = reason.wildcard ? "declares \"*\" (every identity)" : `names ${at.identity}`;
  return `${describeRef(reason.dependency)} ${what}, and its source ${reason.source} runs in ${at.cluster} (namespace ${reason.namespaces.join(", ")})`;
}
