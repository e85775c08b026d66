// Ordering used everywhere in the planner: UTF-16 code units, never the locale, so the same
// input sorts the same on every machine.

import { compareStrings } from "../../crds/compare.js";

export { compareStrings };

/** Compares tuples of strings element by element. */
export function compareKeys(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareStrings(a[i] ?? "", b[i] ?? "");
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

export function sortedStrings(values: Iterable<string>): string[] {
  return [...values].sort(compareStrings);
}

export function uniqueSorted(values: Iterable<string>): string[] {
  return sortedStrings(new Set(values));
}

/**
 * A canonical text of a plain value with object keys sorted: the last tie-breaker between
 * two inputs that share a key, so that input order never decides which one wins.
 */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compareStrings(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** `canonical` of a list whose order carries no meaning. */
export const canonicalSet = (values: readonly unknown[]): string[] => values.map(canonical).sort(compareStrings);
