// How many reconciles this replica sees queued or running, for "routes before status"
// (leader-duties.ts). Counted from the queues every second by the bookkeeping loop, and raised at once
// by every enqueue made through it, so a burst counts before the next count (a status report in
// that second would otherwise see an idle fleet and write every affected object's Pending).
import type { EnqueueOptions, PlannedKey } from "../queue/index.js";
import type { EnqueueTarget } from "./key-enqueuer.js";

export class Backlog implements EnqueueTarget {
  private count = 0;
  private enqueues = 0;

  constructor(private readonly queues: EnqueueTarget) {}

  async enqueue(keys: readonly PlannedKey[], cause: string, options?: EnqueueOptions): Promise<void> {
    this.count += keys.length;
    this.enqueues += 1;
    await this.queues.enqueue(keys, cause, options);
  }

  /**
   * Takes the queues' own count (waiting and running, every cluster) from `count`. A count that an
   * enqueue overtook may have missed its keys: then it can only raise the number.
   */
  async recount(count: () => Promise<number>): Promise<void> {
    const enqueuesBefore = this.enqueues;
    const jobs = await count();
    this.count = enqueuesBefore === this.enqueues ? jobs : Math.max(this.count, jobs);
  }

  get jobs(): number {
    return this.count;
  }
}
