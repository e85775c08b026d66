// Small helpers for status fields and condition messages. Pure.

/** How many cluster names a message lists before saying how many more there are. */
const LISTED_CLUSTERS = 5;

/** `1 cluster`, `3 clusters`. */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** `a, b, c` or `a, b, c, d, e and 3 more`. */
export function clusterList(clusters: readonly string[]): string {
  const shown = clusters.slice(0, LISTED_CLUSTERS).join(", ");
  const more = clusters.length - LISTED_CLUSTERS;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

/** `{ [name]: list }`, or nothing for an empty list (applying without the field removes it). */
export function listField<T>(name: string, list: readonly T[]): Record<string, readonly T[]> {
  return list.length === 0 ? {} : { [name]: list };
}
