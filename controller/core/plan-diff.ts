// What changes between two plans (`meridian plan`): per member cluster the ServiceEntries and
// DestinationRules created, changed (field by field) and deleted, and the problems that appear or
// disappear. Pure; both plans come from `plan()`.
import type { GeneratedObject } from "../../crds/istio.js";
import { compareKeys } from "./compare.js";
import { describeChange, type FieldChange, fieldChanges } from "./field-diff.js";
import type { ClusterName, ClusterPlan, Plan, Problem } from "./model.js";
import { sortProblems } from "./problems.js";

export interface ObjectName {
  readonly kind: "ServiceEntry" | "DestinationRule";
  readonly name: string;
}

export interface ChangedObject extends ObjectName {
  readonly fields: readonly FieldChange[];
}

export interface ClusterChanges {
  readonly cluster: ClusterName;
  readonly created: readonly ObjectName[];
  readonly changed: readonly ChangedObject[];
  readonly deleted: readonly ObjectName[];
}

export interface PlanChanges {
  /** Only clusters where something changes, sorted by name. */
  readonly clusters: readonly ClusterChanges[];
  readonly problemsAppeared: readonly Problem[];
  readonly problemsDisappeared: readonly Problem[];
}

const EMPTY: Omit<ClusterPlan, "cluster"> = { serviceEntries: [], destinationRules: [] };

export function comparePlans(before: Plan, after: Plan): PlanChanges {
  const beforeByCluster = new Map(before.clusters.map((c) => [c.cluster, c]));
  const afterByCluster = new Map(after.clusters.map((c) => [c.cluster, c]));
  const names = [...new Set([...beforeByCluster.keys(), ...afterByCluster.keys()])].sort((a, b) => compareKeys([a], [b]));
  const clusters = names
    .map((cluster) => compareCluster(cluster, beforeByCluster.get(cluster) ?? EMPTY, afterByCluster.get(cluster) ?? EMPTY))
    .filter((c) => c.created.length + c.changed.length + c.deleted.length > 0);
  return { clusters, problemsAppeared: problemsOnlyIn(after.problems, before.problems), problemsDisappeared: problemsOnlyIn(before.problems, after.problems) };
}

/** True when nothing at all changes. */
export const plansEqual = (changes: PlanChanges): boolean =>
  changes.clusters.length === 0 && changes.problemsAppeared.length === 0 && changes.problemsDisappeared.length === 0;

function compareCluster(cluster: ClusterName, before: Omit<ClusterPlan, "cluster">, after: Omit<ClusterPlan, "cluster">): ClusterChanges {
  const old = objectsByKey(before);
  const now = objectsByKey(after);
  const created: ObjectName[] = [];
  const changed: ChangedObject[] = [];
  const deleted: ObjectName[] = [];
  for (const [key, object] of now) {
    const previous = old.get(key);
    if (previous === undefined) created.push(nameOf(object));
    else pushChanged(changed, previous, object);
  }
  for (const [key, object] of old) if (!now.has(key)) deleted.push(nameOf(object));
  return { cluster, created: sortNames(created), changed: sortNames(changed), deleted: sortNames(deleted) };
}

function pushChanged(changed: ChangedObject[], before: GeneratedObject, after: GeneratedObject): void {
  const fields = objectChanges(before, after);
  if (fields.length > 0) changed.push({ ...nameOf(after), fields });
}

/** The fields that differ between two versions of one generated object: its labels and its spec. */
export function objectChanges(before: { metadata: { labels?: Record<string, string> }; spec?: unknown }, after: { metadata: { labels?: Record<string, string> }; spec?: unknown }): FieldChange[] {
  return [
    ...fieldChanges(before.metadata.labels ?? {}, after.metadata.labels ?? {}, "metadata.labels"),
    ...fieldChanges(before.spec, after.spec, "spec"),
  ];
}

function objectsByKey(plan: Omit<ClusterPlan, "cluster">): Map<string, GeneratedObject> {
  const objects: GeneratedObject[] = [...plan.serviceEntries, ...plan.destinationRules];
  return new Map(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}

const nameOf = (object: GeneratedObject): ObjectName => ({ kind: object.kind, name: object.metadata.name });

function sortNames<T extends ObjectName>(names: T[]): T[] {
  return names.sort((a, b) => compareKeys([a.name, a.kind], [b.name, b.kind]));
}

const problemKey = (p: Problem): string => `${p.code}\u0000${p.object.kind}\u0000${p.object.namespace ?? ""}\u0000${p.object.name}\u0000${p.message}`;

function problemsOnlyIn(these: readonly Problem[], others: readonly Problem[]): Problem[] {
  const known = new Set(others.map(problemKey));
  return sortProblems(these.filter((p) => !known.has(problemKey(p))));
}

/** One line per change, for people: `+ ServiceEntry x`, `~ DestinationRule y` with indented fields, `- …`. */
export function describeClusterChanges(changes: ClusterChanges): string[] {
  return [
    ...changes.created.map((o) => `+ ${o.kind} ${o.name}`),
    ...changes.changed.flatMap((o) => [`~ ${o.kind} ${o.name}`, ...o.fields.map((f) => `    ${describeChange(f)}`)]),
    ...changes.deleted.map((o) => `- ${o.kind} ${o.name}`),
  ];
}
