import { describe, expect, it } from "vitest";

import { clusterName, isClusterName } from "./graph-model.js";
import { dnsLabelProblem, isDnsLabel } from "./dns-label.js";

describe("dnsLabelProblem", () => {
  it.each(["a", "payments", "us-east-1", "0abc", "a".repeat(63)])("accepts %s", (value) => {
    expect(dnsLabelProblem(value)).toBeUndefined();
    expect(isDnsLabel(value)).toBe(true);
  });

  it.each([
    ["", "must not be empty"],
    ["a".repeat(64), "at most 63 characters (has 64)"],
    ["Payments", "DNS-1123 label"],
    ["pay.ments", "DNS-1123 label"],
    ["-pay", "DNS-1123 label"],
    ["pay-", "DNS-1123 label"],
    ["pay_ments", "DNS-1123 label"],
  ])("rejects %j", (value, message) => {
    expect(dnsLabelProblem(value)).toContain(message);
  });
});

describe("clusterName", () => {
  it("brands a DNS-1123 label", () => {
    const name: string = clusterName("east-1");
    expect(name).toBe("east-1");
    expect(isClusterName("east-1")).toBe(true);
  });

  it("throws a TypeError naming the value and the rule", () => {
    expect(() => clusterName("East_1")).toThrow(TypeError);
    expect(() => clusterName("East_1")).toThrow(/Invalid cluster name "East_1": must be a DNS-1123 label/);
    expect(isClusterName("")).toBe(false);
  });
});
