// Ordering and equality of plain values, for every layer: code-unit order (never the locale, so the
// same input sorts the same on every machine) and structural equality of JSON values.

export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Structural equality of JSON values; object key order and undefined fields do not matter, array order does. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return false;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && arraysEqual(a, b);
  }
  return recordsEqual(a as Record<string, unknown>, b as Record<string, unknown>);
}

function arraysEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
}

function recordsEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const aEntries = Object.entries(a).filter(([, value]) => value !== undefined);
  const bCount = Object.values(b).filter((value) => value !== undefined).length;
  return aEntries.length === bCount && aEntries.every(([key, value]) => deepEqual(value, b[key]));
}
