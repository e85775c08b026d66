import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rescaleTo100 } from "./weights.js";

describe("rescaleTo100", () => {
  it("keeps weights that already sum to 100", () => {
    expect(rescaleTo100([{ region: "b", weight: 70 }, { region: "a", weight: 30 }])).toEqual([
      { region: "a", weight: 30 },
      { region: "b", weight: 70 },
    ]);
  });

  it("gives left-over points to the largest remainders, ties by region name", () => {
    expect(rescaleTo100([{ region: "us", weight: 50 }, { region: "eu", weight: 30 }])).toEqual([
      { region: "eu", weight: 38 },
      { region: "us", weight: 62 },
    ]);
    expect(rescaleTo100([{ region: "c", weight: 1 }, { region: "b", weight: 1 }, { region: "a", weight: 1 }])).toEqual([
      { region: "a", weight: 34 },
      { region: "b", weight: 33 },
      { region: "c", weight: 33 },
    ]);
  });

  it("shares equally when every weight is 0, and drops zero results", () => {
    expect(rescaleTo100([{ region: "a", weight: 0 }, { region: "b", weight: 0 }])).toEqual([
      { region: "a", weight: 50 },
      { region: "b", weight: 50 },
    ]);
    expect(rescaleTo100([{ region: "a", weight: 10 }, { region: "b", weight: 0 }])).toEqual([{ region: "a", weight: 100 }]);
    expect(rescaleTo100([])).toEqual([]);
  });

  it("always sums to exactly 100 with no weight out of [1, 100]", () => {
    const weights = fc.uniqueArray(fc.record({ region: fc.string({ minLength: 1, maxLength: 3 }), weight: fc.integer({ min: 0, max: 100 }) }), {
      minLength: 1, maxLength: 8, selector: (w) => w.region,
    });
    fc.assert(fc.property(weights, (ws) => {
      const out = rescaleTo100(ws);
      expect(out.reduce((s, w) => s + w.weight, 0)).toBe(100);
      for (const w of out) expect(w.weight).toBeGreaterThanOrEqual(1);
    }));
  });
});
