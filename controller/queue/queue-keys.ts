// The one place that spells Meridian's queue names and Redis key prefixes.
// Every member cluster has a reconcile queue of its own, so a cluster that is down or slow only
// backs up its own queue, and BullMQ's per-queue limiter can bound the work sent to it.

/** Prefix of every Redis key Meridian's queues create (`meridian:reconcile.<cluster>:…`). */
export const QUEUE_PREFIX = "meridian";

const RECONCILE = "reconcile.";

export function reconcileQueueName(cluster: string): string {
  return `${RECONCILE}${cluster}`;
}

/** A job is deduplicated per identity within its cluster's queue. */
export function reconcileDeduplicationId(identity: string): string {
  return identity;
}

/** The cluster a reconcile queue belongs to, or undefined for other names. */
export function clusterOfQueue(queueName: string): string | undefined {
  return queueName.startsWith(RECONCILE) ? queueName.slice(RECONCILE.length) : undefined;
}

/** Redis hash of identity → digest of what was last written for it in `cluster` (see written-state.ts). */
export function writtenStateKey(cluster: string): string {
  return `${QUEUE_PREFIX}:written:${cluster}`;
}

/** Redis hash of `cluster`'s write token bucket, shared by every replica (see shared-write-rate.ts). */
export function writeRateKey(cluster: string): string {
  return `${QUEUE_PREFIX}:write-rate:${cluster}`;
}

/** Redis key of the controller's singleton-duty bookkeeping (the last full resync's time). */
export function lastResyncKey(): string {
  return `${QUEUE_PREFIX}:last-resync`;
}
