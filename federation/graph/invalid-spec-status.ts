// The status written on a ServiceDependency, TrafficPolicy or FailoverDrill that fails its schema:
// one condition (the kind's own condition type, False, reason InvalidSpec) naming each field and why.
// The object is left out of the graph until it is fixed. Pure; the clock is an argument.

import { describeErrors } from "../../crds/index.js";
import type { FieldError } from "../../crds/index.js";
import { findCondition, setCondition } from "../conditions.js";
import type { Condition } from "../conditions.js";

export type HomeKind = "ServiceDependency" | "TrafficPolicy" | "FailoverDrill";

export const INVALID_SPEC_REASON = "InvalidSpec";

/** The condition that says whether each kind is in effect: crds' condition types where they exist. */
export const INVALID_SPEC_CONDITION: Readonly<Record<HomeKind, string>> = Object.freeze({
  ServiceDependency: "Resolved",
  TrafficPolicy: "Applied",
  FailoverDrill: "Accepted",
});

export interface RawObject {
  metadata?: { generation?: number };
  status?: { conditions?: unknown };
}

export interface InvalidSpecStatus {
  observedGeneration?: number;
  conditions: Condition[];
}

export function invalidSpecMessage(kind: HomeKind, errors: readonly FieldError[]): string {
  return `${describeErrors(errors)}. Meridian ignores this ${kind} until it is fixed.`;
}

/** The status to apply, or undefined when the object already says exactly this. */
export function invalidSpecStatus(kind: HomeKind, object: RawObject, errors: readonly FieldError[], now: Date): InvalidSpecStatus | undefined {
  const existing = conditionsOf(object);
  const generation = object.metadata?.generation;
  const message = invalidSpecMessage(kind, errors);
  const type = INVALID_SPEC_CONDITION[kind];
  const current = findCondition(existing, type);
  if (current?.status === "False" && current.reason === INVALID_SPEC_REASON && current.message === message && current.observedGeneration === generation) {
    return undefined;
  }
  const update = { type, status: "False" as const, reason: INVALID_SPEC_REASON, message, ...(generation === undefined ? {} : { observedGeneration: generation }) };
  const conditions = setCondition(existing, update, now);
  return generation === undefined ? { conditions } : { observedGeneration: generation, conditions };
}

function conditionsOf(object: RawObject): Condition[] {
  const raw = object.status?.conditions;
  return Array.isArray(raw) ? raw.filter((c): c is Condition => typeof (c as { type?: unknown } | null)?.type === "string") : [];
}
