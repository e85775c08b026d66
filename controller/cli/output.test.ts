import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";

import { age, humanDuration, renderData, renderTable, renderYamlDocuments } from "./output.js";

describe("output", () => {
  it("aligns table columns with three spaces and no trailing blanks", () => {
    expect(renderTable(["NAME", "REGION", "AGE"], [["a", "us-east-1", "5s"], ["long-name", "eu", ""]])).toBe(
      ["NAME        REGION      AGE", "a           us-east-1   5s", "long-name   eu"].join("\n") + "\n",
    );
  });

  it("renders JSON and YAML", () => {
    expect(renderData("json", { a: 1 })).toBe('{\n  "a": 1\n}\n');
    expect(renderData("yaml", { a: [1] })).toBe("a:\n  - 1\n");
    const stream = renderYamlDocuments([{ kind: "A" }, { kind: "B" }]);
    expect(parseAllDocuments(stream).map((d) => d.toJS())).toEqual([{ kind: "A" }, { kind: "B" }]);
  });

  it.each([
    [0, "0s"],
    [119_000, "119s"],
    [125_000, "2m5s"],
    [600_000, "10m"],
    [3 * 3_600_000 + 60_000, "3h1m"],
    [30 * 3_600_000, "30h"],
    [3 * 86_400_000 + 3_600_000, "3d1h"],
    [100 * 86_400_000, "100d"],
    [800 * 86_400_000, "2y"],
  ])("humanDuration(%i) = %s (kubectl's format)", (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it("ages timestamps, <unknown> when absent", () => {
    const now = new Date("2026-01-01T00:01:00Z");
    expect(age("2026-01-01T00:00:00Z", now)).toBe("60s");
    expect(age(new Date("2025-12-31T00:00:00Z"), now)).toBe("24h");
    expect(age(undefined, now)).toBe("<unknown>");
  });
});
