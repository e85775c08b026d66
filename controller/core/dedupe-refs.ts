// Custom objects are keyed by their reference. Two inputs with one reference cannot come from an
// API server, but the planner still decides between them without looking at input order.
import { compareKeys } from "./compare.js";
import type { ObjectRef, Problem } from "./model.js";
import { compareRefs, describeRef, problem } from "./problems.js";

/**
 * Sorted by reference; of two objects with one reference the first in canonical order is kept.
 * `canonicalOf` must ignore the order of lists that are sets.
 */
export function dedupeByRef<T extends { readonly ref: ObjectRef }>(objects: readonly T[], canonicalOf: (object: T) => string): { objects: T[]; problems: Problem[] } {
  const sorted = [...objects].sort((a, b) => compareRefs(a.ref, b.ref) || compareKeys([canonicalOf(a)], [canonicalOf(b)]));
  const kept: T[] = [];
  const problems: Problem[] = [];
  for (const object of sorted) {
    const last = kept[kept.length - 1];
    if (last !== undefined && compareRefs(last.ref, object.ref) === 0) {
      if (canonicalOf(last) !== canonicalOf(object)) {
        problems.push(problem("DuplicateObject", object.ref,
          `${describeRef(object.ref)} is listed more than once with different specs; only the first in canonical order is used`));
      }
      continue;
    }
    kept.push(object);
  }
  return { objects: kept, problems };
}
