// Standard Kubernetes Conditions (metav1.Condition) for the status of Meridian's resources. Setting a
// condition keeps its lastTransitionTime while its status is unchanged, as apimachinery's
// meta.SetStatusCondition does; the clock is an argument. Functions return new arrays.

export const MESH_CLUSTER_CONDITIONS = Object.freeze({
  Connected: "Connected",
  CredentialsValid: "CredentialsValid",
  PermissionsVerified: "PermissionsVerified",
  Synced: "Synced",
} as const);

export type MeshClusterConditionType = (typeof MESH_CLUSTER_CONDITIONS)[keyof typeof MESH_CLUSTER_CONDITIONS];

export type ConditionStatus = "True" | "False" | "Unknown";

export interface Condition {
  type: string;
  status: ConditionStatus;
  /** CamelCase, e.g. `SecretNotFound`. */
  reason: string;
  message: string;
  /** RFC 3339, second precision, UTC. */
  lastTransitionTime: string;
  observedGeneration?: number;
}

export type ConditionUpdate = Omit<Condition, "lastTransitionTime" | "message"> & { message?: string };

/** The API server's limits for metav1.Condition. */
const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const REASON_MAX_LENGTH = 1024;
const MESSAGE_MAX_LENGTH = 32768;

/** A metav1.Time: RFC 3339 in UTC with second precision (`2026-05-01T12:00:00Z`). */
export function conditionTime(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === "True";
}

/**
 * `conditions` with `update` applied: a new condition is appended, an existing one replaced in place.
 * Its lastTransitionTime is `now` when the status changes (or the condition is new), else kept.
 * Throws a RangeError for a reason the API server would reject; truncates an over-long message.
 */
export function setCondition(conditions: readonly Condition[] | undefined, update: ConditionUpdate, now: Date): Condition[] {
  if (update.reason.length > REASON_MAX_LENGTH || !REASON.test(update.reason)) {
    throw new RangeError(`Condition ${update.type}: reason "${update.reason}" must be CamelCase (letters, digits, '_', ',', ':')`);
  }
  const existing = findCondition(conditions, update.type);
  const next: Condition = {
    type: update.type,
    status: update.status,
    reason: update.reason,
    message: truncate(update.message ?? ""),
    lastTransitionTime: existing !== undefined && existing.status === update.status ? existing.lastTransitionTime : conditionTime(now),
    ...(update.observedGeneration === undefined ? {} : { observedGeneration: update.observedGeneration }),
  };
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === update.type);
  if (index === -1) {
    list.push(next);
  } else {
    list[index] = next;
  }
  return list;
}

/** Applies several updates in order (see setCondition). */
export function setConditions(conditions: readonly Condition[] | undefined, updates: readonly ConditionUpdate[], now: Date): Condition[] {
  return updates.reduce<Condition[]>((list, update) => setCondition(list, update, now), [...(conditions ?? [])]);
}

export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/** True when both lists hold the same conditions in the same order: then a status write can be skipped. */
export function conditionsEqual(a: readonly Condition[] | undefined, b: readonly Condition[] | undefined): boolean {
  const left = a ?? [];
  const right = b ?? [];
  return left.length === right.length && left.every((c, i) => sameCondition(c, right[i]));
}

function sameCondition(a: Condition, b: Condition | undefined): boolean {
  return (
    b !== undefined &&
    a.type === b.type &&
    a.status === b.status &&
    a.reason === b.reason &&
    a.message === b.message &&
    a.lastTransitionTime === b.lastTransitionTime &&
    a.observedGeneration === b.observedGeneration
  );
}

/** Cuts in UTF-16 units (never more runes than the API server counts), never inside a surrogate pair. */
function truncate(message: string): string {
  if (message.length <= MESSAGE_MAX_LENGTH) {
    return message;
  }
  const end = MESSAGE_MAX_LENGTH - 1;
  const cut = /[\uD800-\uDBFF]/.test(message.charAt(end - 1)) ? end - 1 : end;
  return `${message.slice(0, cut)}…`;
}
