// What each (cluster, identity) was last reconciled to: a digest of the objects the reconciler made
// live there, kept in Redis next to the queues so every replica sees every other replica's work.
// Status reporting compares these digests with the current plan to say which clusters are written.
// Losing them (a Redis flush) only makes status say "not yet written" until the next resync.
import type { Redis } from "ioredis";

import { writtenStateKey } from "./queue-keys.js";

/** Where reconciles record what they wrote; what status reads. */
export interface WrittenDigests {
  /** `digest` of the objects now live for the identity in the cluster (or a conflictRecord); undefined: it has none there. */
  record(cluster: string, identity: string, digest: string | undefined): Promise<void>;
  /** identity → digest for one cluster. */
  digests(cluster: string): Promise<ReadonlyMap<string, string>>;
  /** Drops everything recorded for a cluster that left the fleet. */
  forget(cluster: string): Promise<void>;
}

/**
 * What a reconcile records instead of a digest when a name it needs is taken by an object Meridian
 * does not own: never equal to a digest (not written), and it names the object for status.
 */
const CONFLICT_PREFIX = "conflict:";

export function conflictRecord(description: string): string {
  return `${CONFLICT_PREFIX}${description}`;
}

/** The conflicting object a recorded value names, or undefined for a digest. */
export function conflictOf(recorded: string | undefined): string | undefined {
  return recorded?.startsWith(CONFLICT_PREFIX) === true ? recorded.slice(CONFLICT_PREFIX.length) : undefined;
}

export class WrittenState implements WrittenDigests {
  constructor(private readonly redis: Redis) {}

  async record(cluster: string, identity: string, digest: string | undefined): Promise<void> {
    const key = writtenStateKey(cluster);
    if (digest === undefined) {
      await this.redis.hdel(key, identity);
    } else {
      await this.redis.hset(key, identity, digest);
    }
  }

  async digests(cluster: string): Promise<ReadonlyMap<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(writtenStateKey(cluster))));
  }

  async forget(cluster: string): Promise<void> {
    await this.redis.del(writtenStateKey(cluster));
  }
}
