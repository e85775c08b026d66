// The status Meridian wants on one ServiceDependency or TrafficPolicy, as computed from the fleet
// (no times, no generation), and the step that turns it into the body to apply given what the object
// says now: conditions keep their lastTransitionTime while their status holds, and nothing is
// returned when the object already says exactly this. Pure; the clock is an argument.
import { findCondition, setConditions } from "../../federation/conditions.js";
import type { Condition, ConditionUpdate } from "../../federation/conditions.js";
import type { Dependency, ObjectRef, TrafficPolicy } from "../../federation/graph/model.js";
import { deepEqual } from "../core/index.js";
import type { Problem } from "../core/index.js";

export type StatusKind = "ServiceDependency" | "TrafficPolicy";

/** The status fields besides observedGeneration and conditions, per kind: the fields Meridian owns. */
export const STATUS_FIELDS: Readonly<Record<StatusKind, readonly string[]>> = Object.freeze({
  ServiceDependency: ["resolved", "unresolved", "clustersWritten"],
  TrafficPolicy: ["appliedClusters", "totalClusters", "problems"],
});

export interface ObjectStatus {
  readonly kind: StatusKind;
  readonly ref: ObjectRef;
  /** The object as the graph holds it: its status is written only to a live object that says the same. */
  readonly model: Dependency | TrafficPolicy;
  /** STATUS_FIELDS of the kind; empty lists are left out (applying without them removes them). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The kind's conditions in order, without times and generation. */
  readonly conditions: readonly ConditionUpdate[];
  /** Problems of the plan that belong on this object, sorted (for Events). */
  readonly problems: readonly Problem[];
}

/** What the object says now: its generation and status as read from (or last written to) the API server. */
export interface LiveStatus {
  readonly generation?: number;
  readonly status?: Readonly<Record<string, unknown>>;
}

export type StatusBody = Record<string, unknown>;

/** The status to apply, or undefined when the object's status already says exactly this. */
export function statusToApply(desired: ObjectStatus, live: LiveStatus, now: Date): StatusBody | undefined {
  const body = statusBody(desired, live, now);
  return deepEqual(body, ownedPart(desired.kind, desired.conditions, live.status)) ? undefined : body;
}

/** The full status: observedGeneration, conditions (times kept while unchanged), then the fields. */
export function statusBody(desired: ObjectStatus, live: LiveStatus, now: Date): StatusBody {
  const generation = live.generation;
  const updates = desired.conditions.map((c) => (generation === undefined ? c : { ...c, observedGeneration: generation }));
  const merged = setConditions(conditionsOf(live.status), updates, now);
  const conditions = desired.conditions.map((c) => findCondition(merged, c.type) as Condition);
  return { ...(generation === undefined ? {} : { observedGeneration: generation }), conditions, ...desired.fields };
}

/** The part of a live status that Meridian writes: what statusBody's result is compared with. */
function ownedPart(kind: StatusKind, types: readonly ConditionUpdate[], status: LiveStatus["status"]): StatusBody {
  const live = conditionsOf(status);
  const conditions = types.map((c) => findCondition(live, c.type)).filter((c) => c !== undefined);
  const part: StatusBody = { observedGeneration: status?.observedGeneration, conditions };
  for (const field of STATUS_FIELDS[kind]) {
    const value = status?.[field];
    // An empty list means the same as none: both are what applying without the field leaves.
    part[field] = Array.isArray(value) && value.length === 0 ? undefined : value;
  }
  return part;
}

function conditionsOf(status: LiveStatus["status"]): Condition[] {
  const raw = status?.conditions;
  return Array.isArray(raw) ? raw.filter((c): c is Condition => typeof (c as { type?: unknown } | null)?.type === "string") : [];
}
