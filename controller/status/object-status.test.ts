import { describe, expect, test } from "vitest";

import { statusBody, statusToApply } from "./object-status.js";
import type { ObjectStatus } from "./object-status.js";

const T0 = new Date("2026-05-01T12:00:00.500Z");
const T1 = new Date("2026-05-01T13:00:00Z");

function desired(overrides: Partial<ObjectStatus> = {}): ObjectStatus {
  return {
    kind: "ServiceDependency",
    ref: { kind: "ServiceDependency", namespace: "apps", name: "checkout" },
    model: { ref: { kind: "ServiceDependency", namespace: "apps", name: "checkout" }, source: { identity: "checkout" }, destinations: [{ identity: "payments" }] },
    fields: { resolved: [{ identity: "payments", env: "default" }], clustersWritten: 2 },
    conditions: [
      { type: "Resolved", status: "True", reason: "Resolved", message: "1 destination runs in a registered cluster" },
      { type: "Synced", status: "True", reason: "Synced", message: "Written in 2 of 2 clusters" },
    ],
    problems: [],
    ...overrides,
  };
}

describe("statusToApply", () => {
  test("a new status gets the generation and the time; applied again, it is not written", () => {
    const body = statusToApply(desired(), { generation: 4 }, T0);
    expect(body).toEqual({
      observedGeneration: 4,
      conditions: [
        { type: "Resolved", status: "True", reason: "Resolved", message: "1 destination runs in a registered cluster", lastTransitionTime: "2026-05-01T12:00:00Z", observedGeneration: 4 },
        { type: "Synced", status: "True", reason: "Synced", message: "Written in 2 of 2 clusters", lastTransitionTime: "2026-05-01T12:00:00Z", observedGeneration: 4 },
      ],
      resolved: [{ identity: "payments", env: "default" }],
      clustersWritten: 2,
    });
    expect(statusToApply(desired(), { generation: 4, status: body }, T1)).toBeUndefined();
  });

  test("a condition keeps its time while its status holds, and gets a new one when it flips", () => {
    const first = statusBody(desired(), { generation: 1 }, T0);
    const [resolved] = desired().conditions;
    if (resolved === undefined) throw new Error("no Resolved condition");
    const pending = desired({ conditions: [resolved, { type: "Synced", status: "False", reason: "Pending", message: "Written in 1 of 2 clusters" }] });
    const next = statusToApply(pending, { generation: 1, status: first }, T1) as { conditions: { type: string; lastTransitionTime: string }[] };
    expect(next.conditions.map((c) => [c.type, c.lastTransitionTime])).toEqual([
      ["Resolved", "2026-05-01T12:00:00Z"],
      ["Synced", "2026-05-01T13:00:00Z"],
    ]);
  });

  test("a new generation is written even when nothing else changed", () => {
    const body = statusBody(desired(), { generation: 1 }, T0);
    expect(statusToApply(desired(), { generation: 2, status: body }, T1)).toMatchObject({ observedGeneration: 2 });
  });

  test("only Meridian's fields count: other conditions are ignored, an empty list equals none, a stale field is removed", () => {
    const body = statusBody(desired(), { generation: 1 }, T0);
    const foreign = { type: "Reviewed", status: "True", reason: "ByHand", message: "", lastTransitionTime: "2026-01-01T00:00:00Z" };
    const live = { ...body, conditions: [foreign, ...(body["conditions"] as object[]).reverse()], unresolved: [] };
    expect(statusToApply(desired(), { generation: 1, status: live }, T1)).toBeUndefined();
    const stale = { ...body, unresolved: [{ identity: "ghost", reason: "gone" }] };
    expect(statusToApply(desired(), { generation: 1, status: stale }, T1)).not.toHaveProperty("unresolved");
  });

  test("the InvalidSpec condition another writer left is replaced", () => {
    const invalid = { observedGeneration: 1, conditions: [{ type: "Resolved", status: "False", reason: "InvalidSpec", message: "bad", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 1 }] };
    const body = statusToApply(desired(), { generation: 2, status: invalid }, T1) as { conditions: { reason: string }[] };
    expect(body.conditions.map((c) => c.reason)).toEqual(["Resolved", "Synced"]);
  });
});
