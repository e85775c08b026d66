import { describe, expect, it } from "vitest";

import {
  conditionsEqual,
  conditionTime,
  findCondition,
  isConditionTrue,
  MESH_CLUSTER_CONDITIONS,
  removeCondition,
  setCondition,
  setConditions,
} from "./conditions.js";
import type { Condition } from "./conditions.js";

const t0 = new Date("2026-05-01T12:00:00.123Z");
const t1 = new Date("2026-05-01T12:05:00.000Z");
const { Connected, CredentialsValid, PermissionsVerified, Synced } = MESH_CLUSTER_CONDITIONS;

describe("conditionTime", () => {
  it("is RFC 3339 in UTC with second precision", () => {
    expect(conditionTime(t0)).toBe("2026-05-01T12:00:00Z");
  });
});

describe("setCondition", () => {
  it("adds a new condition stamped with the clock", () => {
    const result = setCondition(undefined, { type: Connected, status: "True", reason: "Connected", message: "reached v1.31.2", observedGeneration: 3 }, t0);
    expect(result).toEqual([
      { type: "Connected", status: "True", reason: "Connected", message: "reached v1.31.2", lastTransitionTime: "2026-05-01T12:00:00Z", observedGeneration: 3 },
    ]);
  });

  it("keeps lastTransitionTime while the status is unchanged, updating reason, message and generation", () => {
    const first = setCondition([], { type: Synced, status: "False", reason: "CachesSyncing", message: "2 of 5" }, t0);
    const second = setCondition(first, { type: Synced, status: "False", reason: "WatchFailed", message: "watch of services failed", observedGeneration: 4 }, t1);
    expect(second).toEqual([
      { type: "Synced", status: "False", reason: "WatchFailed", message: "watch of services failed", lastTransitionTime: "2026-05-01T12:00:00Z", observedGeneration: 4 },
    ]);
  });

  it("moves lastTransitionTime when the status changes", () => {
    const first = setCondition([], { type: Synced, status: "Unknown", reason: "Starting" }, t0);
    const second = setCondition(first, { type: Synced, status: "True", reason: "CachesSynced" }, t1);
    expect(second[0]?.lastTransitionTime).toBe("2026-05-01T12:05:00Z");
    expect(second[0]?.message).toBe("");
  });

  it("replaces in place, appends new types, and leaves the input untouched", () => {
    const start: Condition[] = setConditions(
      undefined,
      [
        { type: Connected, status: "True", reason: "Connected" },
        { type: CredentialsValid, status: "True", reason: "Valid" },
      ],
      t0,
    );
    const copy = structuredClone(start);
    const next = setConditions(
      start,
      [
        { type: PermissionsVerified, status: "False", reason: "Forbidden", message: "cannot list endpointslices" },
        { type: Connected, status: "False", reason: "Unreachable" },
      ],
      t1,
    );
    expect(next.map((c) => `${c.type}=${c.status}`)).toEqual(["Connected=False", "CredentialsValid=True", "PermissionsVerified=False"]);
    expect(start).toEqual(copy);
  });

  it("refuses a reason the API server would reject", () => {
    expect(() => setCondition([], { type: Connected, status: "True", reason: "not camel case" }, t0)).toThrow(RangeError);
    expect(() => setCondition([], { type: Connected, status: "True", reason: "" }, t0)).toThrow(RangeError);
    expect(() => setCondition([], { type: Connected, status: "True", reason: "Trailing:" }, t0)).toThrow(RangeError);
  });

  it("truncates an over-long message to the API server's limit", () => {
    const [condition] = setCondition([], { type: Synced, status: "False", reason: "Failed", message: "x".repeat(40_000) }, t0);
    expect(condition?.message).toHaveLength(32768);
    expect(condition?.message.endsWith("…")).toBe(true);
    const [emoji] = setCondition([], { type: Synced, status: "False", reason: "Failed", message: "😀".repeat(20_000) }, t0);
    expect(emoji?.message).toMatch(/^(?:[\uD800-\uDBFF][\uDC00-\uDFFF])+…$/);
  });
});

describe("reading and comparing", () => {
  const conditions = setConditions(
    [],
    [
      { type: Connected, status: "True", reason: "Connected" },
      { type: Synced, status: "False", reason: "CachesSyncing" },
    ],
    t0,
  );

  it("finds conditions and tells whether one is True", () => {
    expect(findCondition(conditions, Synced)?.reason).toBe("CachesSyncing");
    expect(findCondition(undefined, Synced)).toBeUndefined();
    expect(isConditionTrue(conditions, Connected)).toBe(true);
    expect(isConditionTrue(conditions, Synced)).toBe(false);
    expect(isConditionTrue(conditions, PermissionsVerified)).toBe(false);
  });

  it("removes a condition", () => {
    expect(removeCondition(conditions, Connected).map((c) => c.type)).toEqual([Synced]);
  });

  it("an identical update changes nothing, so a status write can be skipped", () => {
    const again = setCondition(conditions, { type: Connected, status: "True", reason: "Connected" }, t1);
    expect(conditionsEqual(again, conditions)).toBe(true);
    expect(conditionsEqual(setCondition(conditions, { type: Connected, status: "True", reason: "Reconnected" }, t1), conditions)).toBe(false);
    expect(conditionsEqual(undefined, [])).toBe(true);
    expect(conditionsEqual(conditions, conditions.slice(1))).toBe(false);
  });
});
