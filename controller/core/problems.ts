// Problems: what the planner reports instead of throwing. Each names the object whose status
// should show it, the field at fault and why.
import { compareStrings } from "./compare.js";
import type { ObjectRef, Problem, ProblemCode } from "./model.js";

export type ProblemSeverity = "Error" | "Warning";

/** Errors leave something out of the plan; warnings describe a plan that is complete but risky. */
export const PROBLEM_SEVERITY: Readonly<Record<ProblemCode, ProblemSeverity>> = {
  DuplicateCluster: "Error",
  DuplicateObject: "Error",
  DuplicateWorkload: "Error",
  UnknownCluster: "Error",
  WorkloadWithoutPorts: "Error",
  PortConflict: "Warning",
  GatewayMissing: "Error",
  UnknownDestination: "Error",
  ClusterNotSynced: "Warning",
  // Found by the reconciler, not the planner: a generated name taken by an object Meridian does not own.
  Conflict: "Error",
  PolicyIdentityNotRunning: "Warning",
  PolicyConflict: "Warning",
  UnknownRegion: "Warning",
  WeightedRegionWithoutEndpoints: "Warning",
  FailoverRegionsWithoutEndpoints: "Warning",
  OutlierDetectionDisabled: "Warning",
  DrillWouldBlackhole: "Error",
  UnknownDrillTarget: "Error",
};

export function problem(code: ProblemCode, object: ObjectRef, message: string): Problem {
  const ref: ObjectRef = object.namespace === undefined
    ? { kind: object.kind, name: object.name }
    : { kind: object.kind, namespace: object.namespace, name: object.name };
  return { code, object: ref, message };
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace === undefined ? `${ref.kind} ${ref.name}` : `${ref.kind} ${ref.namespace}/${ref.name}`;
}

export function compareRefs(a: ObjectRef, b: ObjectRef): number {
  return compareStrings(a.kind, b.kind) || compareStrings(a.namespace ?? "", b.namespace ?? "") || compareStrings(a.name, b.name);
}

/** One string that sorts like the tuple (code, kind, namespace, name, message): NUL sorts first. */
const problemKey = (p: Problem): string => `${p.code}\u0000${p.object.kind}\u0000${p.object.namespace ?? ""}\u0000${p.object.name}\u0000${p.message}`;

/** Sorted by code, object and message, exact duplicates removed. */
export function sortProblems(problems: Iterable<Problem>): Problem[] {
  const keyed = [...problems].map((p) => ({ p, key: problemKey(p) })).sort((a, b) => compareStrings(a.key, b.key));
  return keyed.filter((k, i) => i === 0 || k.key !== keyed[i - 1]?.key).map((k) => k.p);
}
