// Building blocks shared by the four resources: names, durations, conditions, object metadata, and
// zod forms of the Kubernetes list types. Each pattern here is spelled identically in the CRD YAML.
import { z } from "zod";
import { BLOCKING_PARAMS } from "./parse.js";

/** DNS-1123 label: identities, envs, regions, zones, cluster and namespace names. Max 63. */
export const DNS1123_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: Secret names. Max 253. */
export const DNS1123_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A Kubernetes label value, non-empty: Istio network names. Max 63. */
export const LABEL_VALUE_PATTERN = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** A key in a Secret's data. Max 253. */
export const SECRET_KEY_PATTERN = /^[-._a-zA-Z0-9]+$/;
/** An IP address (v4 or v6) or a DNS name. Max 253. */
export const ADDRESS_PATTERN = /^[A-Za-z0-9.:-]+$/;
/** The documented duration format: hours, minutes, seconds, milliseconds, in that order, each optional. */
export const DURATION_PATTERN = /^([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$/;
/** metav1.Condition's type: an optional DNS subdomain prefix and a name. Max 316. */
export const CONDITION_TYPE_PATTERN =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;
/** metav1.Condition's reason: CamelCase. Max 1024. */
export const CONDITION_REASON_PATTERN = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
/** RFC 3339 date-time, as metav1.Time writes it (and the API server's `format: date-time` reads it). */
export const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Kubernetes counts maxLength in characters (runes), not UTF-16 units. */
function characters(s: string): number {
  return [...s].length;
}

/** A string of at most `max` characters, counted as the API server counts them. */
export function boundedString(max: number) {
  return z.string().refine((s) => characters(s) <= max, {
    message: `Too long: may not be more than ${max} characters`,
    params: BLOCKING_PARAMS,
  });
}

export function dnsLabel() {
  return boundedString(63).regex(DNS1123_LABEL_PATTERN);
}

export function dnsSubdomain() {
  return boundedString(253).regex(DNS1123_SUBDOMAIN_PATTERN);
}

/** A duration in the documented format, non-empty; see parseDuration. */
export function durationString() {
  return boundedString(32).min(1).regex(DURATION_PATTERN);
}

export function dateTime() {
  return z.string().regex(DATE_TIME_PATTERN);
}

/** A non-negative integer (Kubernetes int32/int64 fields). */
export function count() {
  return z.int().min(0);
}

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;

/** Milliseconds in a duration such as `90s`, `15m`, `1h30m`, `500ms`. Throws a RangeError naming the value. */
export function parseDuration(s: string): number {
  const match = DURATION_PATTERN.exec(s);
  if (s.length === 0 || match === null) {
    throw new RangeError(`Invalid duration "${s}": expected hours, minutes, seconds, milliseconds in that order, e.g. 90s, 15m, 1h30m, 500ms`);
  }
  const [, h, m, sec, ms] = match;
  return amount(h, UNIT_MS.h) + amount(m, UNIT_MS.m) + amount(sec, UNIT_MS.s) + amount(ms, UNIT_MS.ms);
}

function amount(part: string | undefined, unitMs: number): number {
  return part === undefined ? 0 : Number.parseInt(part, 10) * unitMs;
}

/** The shortest documented-format string for a number of milliseconds (`5400000` → `1h30m`). */
export function formatDuration(totalMs: number): string {
  if (!Number.isSafeInteger(totalMs) || totalMs < 0) throw new RangeError(`Invalid duration ${totalMs}ms`);
  if (totalMs === 0) return "0s";
  let rest = totalMs;
  let out = "";
  for (const unit of ["h", "m", "s", "ms"] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    rest -= n * UNIT_MS[unit];
    if (n > 0) out += `${n}${unit}`;
  }
  return out;
}

/**
 * Duplicate entries of a list, as the API server reports them: for each repeated value, the index of
 * its second appearance (later repeats are not reported again).
 */
export function duplicateIndexes<T>(items: readonly T[], key: (item: T) => string): number[] {
  const seen = new Map<string, number>();
  const repeats: number[] = [];
  items.forEach((item, index) => {
    const k = key(item);
    const times = seen.get(k) ?? 0;
    if (times === 1) repeats.push(index);
    seen.set(k, times + 1);
  });
  return repeats;
}

/**
 * Kubernetes checks list types even when entries are invalid, so the duplicate check runs on whatever
 * zod parsed of each entry (an entry with a missing key counts as having no key).
 */
const ALWAYS = { when: (payload: { value: unknown }) => Array.isArray(payload.value) };

function reportDuplicates(key: (item: unknown) => string) {
  return (items: readonly unknown[], ctx: z.RefinementCtx): void => {
    for (const index of duplicateIndexes(items, key)) {
      ctx.addIssue({ code: "custom", path: [index], message: `Duplicate value: ${key(items[index])}` });
    }
  };
}

/** `x-kubernetes-list-type: set` of strings, at most `maxItems`. */
export function listSet<S extends z.ZodType<string>>(item: S, maxItems: number) {
  return z
    .array(item)
    .max(maxItems)
    .superRefine(reportDuplicates((s) => JSON.stringify(s)), ALWAYS);
}

/** `x-kubernetes-list-type: map` keyed by `keys`, at most `maxItems`. */
export function listMap<S extends z.ZodType<Record<string, unknown>>>(item: S, keys: readonly string[], maxItems: number) {
  const keyOf = (entry: unknown): string => {
    const fields = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
    return JSON.stringify(Object.fromEntries(keys.map((k) => [k, fields[k]])));
  };
  return z.array(item).max(maxItems).superRefine(reportDuplicates(keyOf), ALWAYS);
}

export const CONDITION_STATUSES = ["True", "False", "Unknown"] as const;

/** The standard metav1.Condition. */
export const ConditionSchema = z.object({
  type: boundedString(316).regex(CONDITION_TYPE_PATTERN),
  status: z.enum(CONDITION_STATUSES),
  observedGeneration: count().optional(),
  lastTransitionTime: dateTime(),
  reason: boundedString(1024).min(1).regex(CONDITION_REASON_PATTERN),
  message: boundedString(32768),
});
export type Condition = z.infer<typeof ConditionSchema>;

/** `status.conditions`: a list map keyed by type. */
export function conditionList() {
  return listMap(ConditionSchema, ["type"], 16);
}

/**
 * The parts of ObjectMeta Meridian reads. Other fields are kept as they are. Names are DNS-1123
 * subdomains, as the API server requires of custom resources.
 */
export const ObjectMetaSchema = z.looseObject({
  name: dnsSubdomain(),
  namespace: dnsLabel().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: dateTime().optional(),
  deletionTimestamp: dateTime().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

/**
 * The API server drops `null` from object fields that are not nullable before defaulting, so a field
 * set to null means the same as a field left out. `opaque` names keys whose values are kept as they
 * are (x-kubernetes-preserve-unknown-fields).
 */
export function pruneNulls(value: unknown, opaque: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((v) => pruneNulls(v, opaque));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) continue;
    out[k] = opaque.has(k) ? v : pruneNulls(v, opaque);
  }
  return out;
}
