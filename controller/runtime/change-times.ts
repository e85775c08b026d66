// When this replica's graph last reported a change to each identity (or to every identity), by this
// replica's clock. A reconcile of a job another replica enqueued reads it: when this replica has seen
// a change of the identity since that job was enqueued, its view is the newer one and it need not
// wait for its plan to match the job's (controller/reconcile/reconciler.ts, caughtUp). Replicas run
// on one cluster's nodes, so their clocks agree to well under the milliseconds compared here.
import type { GraphChangeSink } from "../../federation/graph/change-sink.js";

export class ChangeTimes implements GraphChangeSink {
  private readonly times = new Map<string, number>();
  private allAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  identitiesChanged(identities: readonly string[]): void {
    const now = this.now();
    for (const identity of identities) this.times.set(identity, now);
  }

  allChanged(): void {
    this.allAt = this.now();
  }

  /** Milliseconds since the epoch of the last change reported for `identity`; 0 when none was. */
  lastChangeOf(identity: string): number {
    return Math.max(this.times.get(identity) ?? 0, this.allAt);
  }
}
