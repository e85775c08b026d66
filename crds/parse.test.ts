import { z } from "zod";
import { describe, expect, it } from "vitest";
import { boundedString, dnsLabel } from "./common.js";
import { celIssue, describeErrors, formatPath, parserFor } from "./parse.js";

describe("formatPath", () => {
  it("writes Kubernetes field paths", () => {
    expect(formatPath(["spec", "weights", 0, "weight"])).toBe("spec.weights[0].weight");
    expect(formatPath([0, "a"])).toBe("[0].a");
    expect(formatPath([])).toBe("");
  });
});

describe("parserFor", () => {
  const schema = z
    .object({
      name: dnsLabel(),
      port: z.int().min(1).max(65535).default(80),
      mode: z.enum(["A", "B"]).optional(),
      tags: z.array(z.string()).min(1).optional(),
      note: boundedString(3).optional(),
    })
    .superRefine((v, ctx) => {
      if (v.mode === "B" && v.tags === undefined) celIssue(ctx, "tags is required when mode is B", ["tags"]);
    });
  const parse = parserFor(schema);

  it("returns the value with defaults", () => {
    expect(parse({ name: "a" })).toEqual({ ok: true, value: { name: "a", port: 80 } });
  });

  it("words errors as the API server does, with field paths", () => {
    const result = parse({ port: 70000, mode: "C", tags: [], note: "toolong", name: "A" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { path: "name", message: "should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'", layer: "schema" },
      { path: "port", message: "should be less than or equal to 65535", layer: "schema" },
      { path: "mode", message: 'Unsupported value: "C": supported values: "A", "B"', layer: "schema" },
      { path: "tags", message: "should have at least 1 items", layer: "schema" },
      { path: "note", message: "Too long: may not be more than 3 characters", layer: "schema" },
    ]);
    expect(parse({ port: "80", name: "a" })).toEqual({ ok: false, errors: [{ path: "port", message: "must be of type integer", layer: "schema" }] });
    expect(parse({})).toEqual({ ok: false, errors: [{ path: "name", message: "Required value", layer: "schema" }] });
  });

  it("tags CEL-equivalent rules with their layer", () => {
    expect(parse({ name: "a", mode: "B" })).toEqual({
      ok: false,
      errors: [{ path: "tags", message: "tags is required when mode is B", layer: "cel" }],
    });
  });

  it("drops CEL-layer errors once a blocking error is found, as the API server skips CEL then", () => {
    const result = parse({ name: "a", mode: "B", note: "toolong" });
    expect(result).toEqual({ ok: false, errors: [{ path: "note", message: "Too long: may not be more than 3 characters", layer: "schema" }] });
  });
});

describe("describeErrors", () => {
  it("joins errors into one line", () => {
    expect(
      describeErrors([
        { path: "spec.weights", message: "weights must sum to 100", layer: "cel" },
        { path: "", message: "Required value", layer: "schema" },
      ]),
    ).toBe("spec.weights: weights must sum to 100; Required value");
  });
});
