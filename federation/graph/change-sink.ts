// The one interface through which the graph reports what changed: identities to re-plan, or all of
// them. Implementations only enqueue (the next issue maps these to queue keys) and must not throw.

export interface GraphChangeSink {
  /** `identities` (sorted, distinct, non-empty) may plan differently now; `cause` says why, for logs. */
  identitiesChanged(identities: readonly string[], cause: string): void;
  /** Every identity may plan differently now (a wildcard dependency, a drill over everything). */
  allChanged(cause: string): void;
  /** A cluster joined or left the graph, or became pending or synced again: `clusters` are the graph's clusters now. */
  clustersChanged?(clusters: readonly string[]): void;
}
