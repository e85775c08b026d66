// Settings of the reconcile queues, validated with the rest of the controller's configuration.

export interface QueueSettings {
  /** Jobs processed at once per member cluster, per replica. */
  readonly concurrencyPerCluster: number;
  /** Attempts before a job is given up (it is recorded as failed; the next change or resync enqueues it again). */
  readonly attempts: number;
  /** First retry delay; doubles each attempt. */
  readonly backoffMs: number;
  /** Share of the retry delay that is random (0..1), so retries of many keys spread out. */
  readonly backoffJitter: number;
  /** At most this many jobs started per `rateLimitWindowMs` per member cluster, across all replicas. */
  readonly rateLimitJobs: number;
  readonly rateLimitWindowMs: number;
  /** Failed jobs kept for inspection per cluster. */
  readonly keepFailed: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = Object.freeze({
  concurrencyPerCluster: 8,
  attempts: 12,
  backoffMs: 250,
  backoffJitter: 0.5,
  rateLimitJobs: 200,
  rateLimitWindowMs: 1000,
  keepFailed: 1000,
});
