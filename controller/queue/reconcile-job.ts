// What a reconcile job carries: a key, never an event. The reconciler re-reads everything else.

export interface ReconcileKey {
  /** The member cluster whose generated objects are reconciled. */
  readonly cluster: string;
  /** The identity whose ServiceEntries and DestinationRules are reconciled there. */
  readonly identity: string;
}

/** A key as enqueued: with the digest of what the enqueuing replica planned for it (see the reconciler). */
export interface PlannedKey extends ReconcileKey {
  /** desiredDigest of the enqueuing replica's plan for the key, "none" when it planned nothing there. */
  readonly planDigest?: string;
  /** The replica that enqueued it (its Lease holder name). */
  readonly enqueuedBy?: string;
}

export interface ReconcileJobData extends PlannedKey {
  /** When the change that caused this job was observed (ms since the epoch), for convergence latency. */
  readonly observedAt: number;
  /** Why it was enqueued (a short word for logs and metrics: `watch`, `resync`, `drift` …). */
  readonly cause: string;
}

/** Thrown by a reconcile handler when retrying cannot help (bad input, forbidden object): recorded, not retried. */
export class PermanentReconcileError extends Error {
  override readonly name = "PermanentReconcileError";
}
