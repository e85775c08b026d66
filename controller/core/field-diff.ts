// Field-level difference of two JSON values, as YAML paths people can read:
// `spec.endpoints[1].address: 192.0.2.10 → 192.0.2.11`. Pure. Arrays are compared position by
// position (the planner's lists are sorted, so a position is a stable meaning); a key that is not a
// plain identifier is quoted (`metadata.labels["meridian.dev/env"]`).
import { compareStrings } from "./compare.js";
import { deepEqual } from "./diff.js";

export interface FieldChange {
  /** YAML path, e.g. `spec.endpoints[0].ports.http`. */
  readonly path: string;
  /** Absent: the field was added. */
  readonly before?: unknown;
  /** Absent: the field was removed. */
  readonly after?: unknown;
}

/** Every leaf-or-subtree that differs between `before` and `after`, in path order. */
export function fieldChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (deepEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) return recordChanges(before, after, path);
  if (Array.isArray(before) && Array.isArray(after)) return arrayChanges(before, after, path);
  return [change(path, before, after)];
}

function recordChanges(before: Record<string, unknown>, after: Record<string, unknown>, path: string): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareStrings);
  return keys.flatMap((key) => fieldChanges(before[key], after[key], joinKey(path, key)));
}

function arrayChanges(before: readonly unknown[], after: readonly unknown[], path: string): FieldChange[] {
  const length = Math.max(before.length, after.length);
  const changes: FieldChange[] = [];
  for (let i = 0; i < length; i++) changes.push(...fieldChanges(before[i], after[i], `${path}[${i}]`));
  return changes;
}

function change(path: string, before: unknown, after: unknown): FieldChange {
  return {
    path,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function joinKey(path: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === "" ? key : `${path}.${key}`;
}

/** `path: before → after`, `path: added value`, `path: removed (was value)`, values as compact JSON (strings bare). */
export function describeChange(c: FieldChange): string {
  if (!("before" in c)) return `${c.path}: added ${showValue(c.after)}`;
  if (!("after" in c)) return `${c.path}: removed (was ${showValue(c.before)})`;
  return `${c.path}: ${showValue(c.before)} → ${showValue(c.after)}`;
}

function showValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
