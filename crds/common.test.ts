import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundedString, duplicateIndexes, formatDuration, parseDuration, pruneNulls } from "./common.js";

describe("parseDuration", () => {
  it.each([
    ["90s", 90_000],
    ["15m", 900_000],
    ["1h30m", 5_400_000],
    ["500ms", 500],
    ["1m500ms", 60_500],
    ["1h2m3s4ms", 3_723_004],
    ["0s", 0],
    ["48h", 172_800_000],
  ])("reads %s as %i ms", (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });

  it.each(["", "1d", "30m1h", "1.5h", "10 s", "ms", "h", "-1s", "1H"])("rejects %j, naming it", (s) => {
    expect(() => parseDuration(s)).toThrow(new RegExp(`Invalid duration "${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`));
  });

  it("round-trips with formatDuration", () => {
    fc.assert(fc.property(fc.nat({ max: 10 * 24 * 3_600_000 }), (ms) => parseDuration(formatDuration(ms)) === ms));
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [500, "500ms"],
    [90_000, "1m30s"],
    [5_400_000, "1h30m"],
    [3_723_004, "1h2m3s4ms"],
  ])("writes %i ms as %s", (ms, s) => {
    expect(formatDuration(ms)).toBe(s);
  });

  it("refuses negative and fractional amounts", () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(1.5)).toThrow(RangeError);
  });
});

describe("pruneNulls", () => {
  it("drops null object fields at any depth, keeps null list entries and opaque values", () => {
    const input = { a: null, b: { c: null, d: 1 }, l: [null, { e: null }], report: { keep: null } };
    expect(pruneNulls(input, new Set(["report"]))).toEqual({ b: { d: 1 }, l: [null, {}], report: { keep: null } });
    expect(input.a).toBeNull();
  });
});

describe("duplicateIndexes", () => {
  it("names the second appearance of each repeated value, as the API server does", () => {
    expect(duplicateIndexes(["a", "b", "a", "a", "b", "c"], (s) => s)).toEqual([2, 4]);
    expect(duplicateIndexes([], (s: string) => s)).toEqual([]);
  });
});

describe("boundedString", () => {
  it("counts characters as the API server does, not UTF-16 units", () => {
    const twoChars = "😀😀";
    expect(twoChars.length).toBe(4);
    expect(boundedString(2).safeParse(twoChars).success).toBe(true);
    expect(boundedString(1).safeParse(twoChars).success).toBe(false);
  });
});
