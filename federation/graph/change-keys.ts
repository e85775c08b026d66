// Which identities a change touches: pure functions of the old and new values, so a removed
// destination or a workload that moved away is named as surely as a new one. `all` means "every
// identity" (a wildcard dependency).

import { compareStrings } from "../compare.js";
import type { Workload } from "../graph-model.js";
import { isWildcard } from "./to-model.js";
import type { Dependency, Drill, DrillTarget, MemberCluster, TrafficPolicy } from "./model.js";
import { deepEqual } from "../../crds/compare.js";

export type ChangeKeys = { readonly all: true } | { readonly all: false; readonly identities: readonly string[] };

export const NO_KEYS: ChangeKeys = Object.freeze({ all: false, identities: Object.freeze([]) });
export const ALL_KEYS: ChangeKeys = Object.freeze({ all: true });

export function identityKeys(identities: Iterable<string>): ChangeKeys {
  return { all: false, identities: [...new Set(identities)].sort(compareStrings) };
}

/** Plain data (JSON values) compared by value, whatever the order of object keys. */
export const sameValue = deepEqual;

/** Plain data with every object's keys sorted and undefined fields dropped (arrays keep their order). */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical);
  }
  if (typeof value !== "object" || value === null) {
    return value;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries.sort(([a], [b]) => compareStrings(a, b)).map(([k, v]) => [k, canonical(v)]));
}

/** Identities whose workloads in one cluster differ between `before` and `after` (any env, any field). */
export function workloadChangeKeys(before: readonly Workload[], after: readonly Workload[]): ChangeKeys {
  const old = groupByIdentity(before);
  const next = groupByIdentity(after);
  const identities = [...new Set([...old.keys(), ...next.keys()])];
  return identityKeys(identities.filter((identity) => !sameValue(old.get(identity), next.get(identity))));
}

/**
 * The destinations of every caller whose footprint in one cluster (the env and namespace of each of its
 * workloads there) differs between `before` and `after`: a caller that enters or leaves a cluster (or a
 * namespace) changes where its destinations' hosts are placed (and their exportTo), although their own
 * workloads did not change. A wildcard dependency of such a caller means all.
 */
export function callerChangeKeys(before: readonly Workload[], after: readonly Workload[], dependencies: Iterable<Dependency>): ChangeKeys {
  const old = footprints(before);
  const next = footprints(after);
  const moved = new Set([...old.keys(), ...next.keys()].filter((identity) => !sameValue(old.get(identity), next.get(identity))));
  if (moved.size === 0) return NO_KEYS;
  const called = [...dependencies].filter((d) => moved.has(d.source.identity));
  return called.some(isWildcard) ? ALL_KEYS : identityKeys(called.flatMap((d) => d.destinations.map((t) => t.identity)));
}

/**
 * A cluster's region, zone, network or gateway changed (or it came or went): every identity with a
 * workload there, since their endpoints' locality and remote address depend on it.
 */
export function clusterChangeKeys(before: MemberCluster | undefined, after: MemberCluster | undefined, workloads: readonly Workload[]): ChangeKeys {
  return sameValue(before, after) ? NO_KEYS : identityKeys(workloads.map((w) => w.identity));
}

/** The source and every destination of the old and the new spec; a wildcard destination means all. */
export function dependencyChangeKeys(before: Dependency | undefined, after: Dependency | undefined): ChangeKeys {
  if (sameValue(before, after)) {
    return NO_KEYS;
  }
  const sides = [before, after].filter((d): d is Dependency => d !== undefined);
  if (sides.some(isWildcard)) {
    return ALL_KEYS;
  }
  return identityKeys(sides.flatMap((d) => [d.source.identity, ...d.destinations.map((t) => t.identity)]));
}

export function policyChangeKeys(before: TrafficPolicy | undefined, after: TrafficPolicy | undefined): ChangeKeys {
  if (sameValue(before, after)) {
    return NO_KEYS;
  }
  return identityKeys([before, after].flatMap((p) => (p === undefined ? [] : [p.identity])));
}

/**
 * An active drill's scope (old and new): its identities, or for a drill over every identity those
 * with workloads in its target now (`identitiesIn`). Only their endpoints can change; a workload
 * that moves into or out of the target later is named by its own workload change.
 */
export function drillChangeKeys(before: Drill | undefined, after: Drill | undefined, identitiesIn: (target: DrillTarget) => Iterable<string>): ChangeKeys {
  if (sameValue(before, after)) {
    return NO_KEYS;
  }
  const sides = [before, after].filter((d): d is Drill => d !== undefined);
  return identityKeys(sides.flatMap((d) => (d.identities === undefined || d.identities.length === 0 ? [...identitiesIn(d.target)] : d.identities)));
}

function groupByIdentity(workloads: readonly Workload[]): Map<string, Workload[]> {
  const groups = new Map<string, Workload[]>();
  for (const workload of workloads) {
    groups.set(workload.identity, [...(groups.get(workload.identity) ?? []), workload]);
  }
  return groups;
}

/** identity → its sorted, distinct `env/namespace` pairs. */
function footprints(workloads: readonly Workload[]): Map<string, string[]> {
  const sets = new Map<string, Set<string>>();
  for (const w of workloads) {
    const set = sets.get(w.identity) ?? new Set<string>();
    set.add(`${w.env}/${w.namespace}`);
    sets.set(w.identity, set);
  }
  return new Map([...sets].map(([identity, set]) => [identity, [...set].sort(compareStrings)]));
}
