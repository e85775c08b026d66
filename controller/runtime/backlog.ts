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

  /** Runs a count of the queues and takes its result (see `counted`). */
  async recount(count: () => Promise<number>): Promise<void> {
    const ticket = this.countStarts();
    this.counted(await count(), ticket);
  }

  /** Call as a count of the queues starts; hand the result to `counted`. */
  countStarts(): number {
    return this.enqueues;
  }

  /**
   * The queues' own count (waiting and running, every cluster), from a count started at `ticket`. A
   * count that an enqueue overtook may have missed its keys: then it can only raise the number.
   */
  counted(jobs: number, ticket: number): void {
    this.count = ticket === this.enqueues ? jobs : Math.max(this.count, jobs);
  }

  get jobs(): number {
    return this.count;
  }
}
