import { describe, expect, it } from "vitest";
import { layeredGet, layeredKeys, layeredMap, layeredSet } from "./layered-map.js";

describe("LayeredMap", () => {
  it("updates without touching the map it came from", () => {
    const a = layeredMap(new Map([["x", 1]]));
    const b = layeredSet(a, "y", 2);
    const c = layeredSet(b, "x", 3);
    expect(layeredGet(a, "x")).toBe(1);
    expect(layeredGet(a, "y")).toBeUndefined();
    expect(layeredGet(b, "y")).toBe(2);
    expect(layeredGet(c, "x")).toBe(3);
    expect(layeredGet(b, "x")).toBe(1);
    expect([...layeredKeys(c)].sort()).toEqual(["x", "y"]);
  });

  it("folds a large delta into a new base and stays correct", () => {
    let m = layeredMap(new Map<string, number>());
    for (let i = 0; i < 1000; i++) m = layeredSet(m, `k${i % 300}`, i);
    expect(m.delta.size).toBeLessThanOrEqual(256);
    for (let i = 700; i < 1000; i++) expect(layeredGet(m, `k${i % 300}`)).toBe(i);
    expect(layeredKeys(m).size).toBe(300);
  });
});
