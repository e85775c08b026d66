// What only the leader does, checked on a short interval: a full resync when the last one (by any
// replica, recorded in Redis so a new leader does not start over) is older than the resync interval
// or unknown, then a status report (re-reading every object after a resync).
import type { Redis } from "ioredis";
import type { Logger } from "pino";

import { lastResyncKey } from "../queue/index.js";

export interface StatusReport {
  /** `reread`: read every object again (after a resync) instead of trusting what it last saw. */
  report(options?: { reread?: boolean }): Promise<unknown>;
}

export interface LeaderDutiesDeps {
  readonly redis: Redis;
  readonly resync: (cause: string) => Promise<number>;
  readonly resyncIntervalMs: number;
  readonly isLeader: () => boolean;
  readonly log: Logger;
  readonly status?: StatusReport;
  readonly now?: () => number;
}

export class LeaderDuties {
  constructor(private readonly deps: LeaderDutiesDeps) {}

  async run(): Promise<void> {
    if (!this.deps.isLeader()) return;
    const resynced = await this.resyncWhenDue();
    await this.deps.status?.report({ reread: resynced });
  }

  /** True when it resynced. */
  private async resyncWhenDue(): Promise<boolean> {
    const now = (this.deps.now ?? Date.now)();
    // Missing (first leader ever, or Redis was flushed and the queues with it): resync now.
    const last = Number(await this.deps.redis.get(lastResyncKey()));
    if (Number.isFinite(last) && last > 0 && now - last < this.deps.resyncIntervalMs) return false;
    // `resync` records its own time (so does every replica's start-up resync).
    await this.deps.resync("resync");
    return true;
  }
}
