import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { Coalescer } from "./coalescer.js";

describe("Coalescer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once for a burst of marks", async () => {
    const task = vi.fn();
    const coalescer = new Coalescer(task, 10, () => undefined);
    for (let i = 0; i < 100; i += 1) coalescer.schedule();
    await vi.advanceTimersByTimeAsync(10);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it("runs exactly once more for marks made while the task runs", async () => {
    let release: () => void = () => undefined;
    const task = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const coalescer = new Coalescer(task, 0, () => undefined);
    coalescer.schedule();
    await vi.advanceTimersByTimeAsync(0);
    coalescer.schedule();
    coalescer.schedule();
    release();
    await vi.advanceTimersByTimeAsync(0);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it("reports a failing task and keeps working; runs nothing after stop", async () => {
    const errors: unknown[] = [];
    const task = vi.fn(() => {
      throw new Error("boom");
    });
    const coalescer = new Coalescer(task, 0, (err) => errors.push(err));
    coalescer.schedule();
    await vi.advanceTimersByTimeAsync(0);
    coalescer.schedule();
    await vi.advanceTimersByTimeAsync(0);
    coalescer.stop();
    coalescer.schedule();
    await vi.advanceTimersByTimeAsync(10);
    expect(task).toHaveBeenCalledTimes(2);
    expect(errors).toHaveLength(2);
  });
});
