import { pino } from "pino";
import { describe, expect, it } from "vitest";

import { LeaderDuties, STATUS_DEFER_BACKLOG, STATUS_MAX_DEFER_MS } from "./leader-duties.js";

interface Setup {
  leader?: boolean;
  lastResyncAt?: number | undefined;
}

function duties(setup: Setup = {}): { duties: LeaderDuties; clock: { now: number; backlog: number }; reports: boolean[]; resyncs: number[] } {
  const clock = { now: 1_000_000, backlog: 0 };
  const reports: boolean[] = [];
  const resyncs: number[] = [];
  let last = "lastResyncAt" in setup ? setup.lastResyncAt : clock.now;
  const leaderDuties = new LeaderDuties({
    lastResyncAt: () => Promise.resolve(last),
    resync: () => {
      resyncs.push(clock.now);
      last = clock.now;
      return Promise.resolve(0);
    },
    resyncIntervalMs: 180_000,
    isLeader: () => setup.leader ?? true,
    log: pino({ level: "silent" }),
    status: { report: (options) => Promise.resolve(void reports.push(options?.reread === true)) },
    backlog: () => clock.backlog,
    now: () => clock.now,
  });
  return { duties: leaderDuties, clock, reports, resyncs };
}

describe("LeaderDuties", () => {
  it("resyncs when the last resync is unknown or older than the interval, then reports status re-reading everything", async () => {
    const { duties: d, clock, reports, resyncs } = duties({ lastResyncAt: undefined });
    await d.run();
    expect(resyncs).toEqual([1_000_000]);
    expect(reports).toEqual([true]);
    clock.now += 2_000;
    await d.run();
    expect(resyncs).toHaveLength(1);
    expect(reports).toEqual([true, false]);
    clock.now += 180_000;
    await d.run();
    expect(resyncs).toHaveLength(2);
  });

  it("does nothing on a replica that does not lead", async () => {
    const { duties: d, reports, resyncs } = duties({ leader: false, lastResyncAt: undefined });
    await d.run();
    expect([reports, resyncs]).toEqual([[], []]);
  });

  it("while the queues are busy, status waits up to the longest deferral; below the threshold it reports every run", async () => {
    const { duties: d, clock, reports } = duties();
    await d.run();
    expect(reports).toHaveLength(1);
    clock.backlog = STATUS_DEFER_BACKLOG;
    for (let t = 2_000; t < STATUS_MAX_DEFER_MS; t += 2_000) {
      clock.now += 2_000;
      await d.run();
    }
    expect(reports).toHaveLength(1);
    clock.now += 2_000; // STATUS_MAX_DEFER_MS since the last report
    await d.run();
    expect(reports).toHaveLength(2);
    clock.backlog = STATUS_DEFER_BACKLOG - 1;
    clock.now += 1;
    await d.run();
    expect(reports).toHaveLength(3);
  });

  it("a resync reports at once even when busy", async () => {
    const { duties: d, clock, reports } = duties();
    await d.run();
    clock.backlog = 5_000;
    clock.now += 180_000;
    await d.run();
    expect(reports).toEqual([false, true]);
  });
});
