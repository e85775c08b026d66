// What only the leader does, checked on a short interval: a full resync when the last one (by any
// replica, recorded in Redis so a new leader does not start over) is older than the resync interval
// or unknown, then a status report (re-reading every object after a resync).
//
// Routes before status: while reconciles are queued or running (a drill phase, a region losing its
// endpoints, a resync), status reports wait, up to STATUS_MAX_DEFER_MS. A burst that ends within it
// costs one report of where things ended instead of every affected object's status written as
// Pending and then back as Synced, writes that competed with the routes' writes for the home API
// server (about 160 per phase of the drill benchmark). A fleet that is never idle still gets a
// report every STATUS_MAX_DEFER_MS.
import type { Logger } from "pino";

export interface StatusReport {
  /** `reread`: read every object again (after a resync) instead of trusting what it last saw. */
  report(options?: { reread?: boolean }): Promise<unknown>;
}

/** Reconciles queued or running (all clusters) from which the queues count as busy. */
export const STATUS_DEFER_BACKLOG = 1;
/** The longest a status report waits for the queues to stop being busy. */
export const STATUS_MAX_DEFER_MS = 10_000;

export interface LeaderDutiesDeps {
  /** When any replica last resynced (ms since the epoch), or undefined when unknown. */
  readonly lastResyncAt: () => Promise<number | undefined>;
  readonly resync: (cause: string) => Promise<number>;
  readonly resyncIntervalMs: number;
  readonly isLeader: () => boolean;
  readonly log: Logger;
  readonly status?: StatusReport;
  /** Reconciles queued or running in every cluster's queue, as last counted. */
  readonly backlog?: () => number;
  readonly now?: () => number;
}

export class LeaderDuties {
  private lastReport = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: LeaderDutiesDeps) {}

  async run(): Promise<void> {
    if (!this.deps.isLeader()) return;
    const resynced = await this.resyncWhenDue();
    const now = this.now();
    const busy = (this.deps.backlog?.() ?? 0) >= STATUS_DEFER_BACKLOG;
    if (!resynced && busy && now - this.lastReport < STATUS_MAX_DEFER_MS) return;
    await this.deps.status?.report({ reread: resynced });
    this.lastReport = now;
  }

  /** True when it resynced. */
  private async resyncWhenDue(): Promise<boolean> {
    const last = await this.deps.lastResyncAt();
    // Unknown (first leader ever, or Redis was flushed and the queues with it): resync now.
    if (last !== undefined && this.now() - last < this.deps.resyncIntervalMs) return false;
    // `resync` records its own time (so does every replica's start-up resync).
    await this.deps.resync("resync");
    return true;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
