import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { backoffCeiling, nextDelay, WATCH_RESTART_BACKOFF } from "./backoff.js";

describe("backoffCeiling", () => {
  it("doubles from the base up to the cap", () => {
    const options = { baseMs: 100, capMs: 1000 };
    expect([0, 1, 2, 3, 4, 10, 5000].map((attempt) => backoffCeiling(attempt, options))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
  });

  it("rejects bad attempts and options", () => {
    expect(() => backoffCeiling(-1, WATCH_RESTART_BACKOFF)).toThrow(RangeError);
    expect(() => backoffCeiling(1.5, WATCH_RESTART_BACKOFF)).toThrow(RangeError);
    expect(() => backoffCeiling(0, { baseMs: 0, capMs: 10 })).toThrow(RangeError);
    expect(() => backoffCeiling(0, { baseMs: 10, capMs: 5 })).toThrow(RangeError);
    expect(() => backoffCeiling(0, { baseMs: 10, capMs: Infinity })).toThrow(RangeError);
  });
});

describe("nextDelay", () => {
  it("spans the whole range: 0 for the lowest draw, the ceiling for the highest", () => {
    const options = { baseMs: 100, capMs: 1000 };
    expect(nextDelay(3, options, () => 0)).toBe(0);
    expect(nextDelay(3, options, () => 0.999999)).toBe(800);
    expect(nextDelay(3, options, () => 0.5)).toBe(400);
    expect(nextDelay(20, options, () => 0.999999)).toBe(1000);
  });

  it("property: an integer in [0, min(cap, base·2^attempt)] for any attempt, options and draw", () => {
    const options = fc
      .record({ baseMs: fc.integer({ min: 1, max: 10_000 }), extra: fc.integer({ min: 0, max: 600_000 }) })
      .map(({ baseMs, extra }) => ({ baseMs, capMs: baseMs + extra }));
    const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
    fc.assert(
      fc.property(fc.nat({ max: 2000 }), options, draw, (attempt, opts, r) => {
        const delay = nextDelay(attempt, opts, () => r);
        const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** attempt);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }),
      { numRuns: 500 },
    );
  });

  it("property: the ceiling never decreases as attempts grow", () => {
    fc.assert(
      fc.property(fc.nat({ max: 2000 }), (attempt) => {
        expect(backoffCeiling(attempt + 1, WATCH_RESTART_BACKOFF)).toBeGreaterThanOrEqual(backoffCeiling(attempt, WATCH_RESTART_BACKOFF));
      }),
      { numRuns: 200 },
    );
  });

  it("clamps a misbehaving random source into the range", () => {
    expect(nextDelay(0, { baseMs: 100, capMs: 100 }, () => 1)).toBe(100);
    expect(nextDelay(0, { baseMs: 100, capMs: 100 }, () => -3)).toBe(0);
  });
});
