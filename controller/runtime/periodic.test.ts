import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { Periodic } from "./periodic.js";

describe("Periodic", () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  function counting(intervalMs: number): { periodic: Periodic; runs: number[] } {
    const runs: number[] = [];
    const periodic = new Periodic("test", intervalMs, () => Promise.resolve(void runs.push(Date.now())), pino({ level: "silent" }));
    return { periodic, runs };
  }

  it("runs every interval after the previous run ended", async () => {
    const { periodic, runs } = counting(1_000);
    periodic.start();
    await vi.advanceTimersByTimeAsync(3_500);
    expect(runs).toEqual([1_001_000, 1_002_000, 1_003_000]);
    await periodic.stop();
  });

  it("runAt adds one run at that time, keeps only the earliest asked for, and ignores a past time", async () => {
    const { periodic, runs } = counting(10_000);
    periodic.start();
    periodic.runAt(1_000_300);
    periodic.runAt(1_000_700); // later than the one pending: ignored
    periodic.runAt(999_000); // past: the schedule's to catch
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toEqual([1_000_300]);
    periodic.runAt(1_002_000);
    periodic.runAt(1_001_500); // earlier: replaces it
    await vi.advanceTimersByTimeAsync(9_500);
    expect(runs).toEqual([1_000_300, 1_001_500, 1_010_000]);
    await periodic.stop();
  });

  it("a stopped one runs nothing more, runAt included", async () => {
    const { periodic, runs } = counting(1_000);
    periodic.start();
    periodic.runAt(1_000_500);
    await periodic.stop();
    periodic.runAt(1_000_800);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs).toEqual([]);
  });
});
