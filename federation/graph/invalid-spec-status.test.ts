import { describe, expect, it } from "vitest";

import { invalidSpecStatus } from "./invalid-spec-status.js";

const now = new Date("2026-05-01T12:00:00Z");
const later = new Date("2026-05-01T13:00:00Z");
const errors = [{ path: "spec.weights", message: "weights must sum to 100", layer: "cel" as const }];

describe("invalidSpecStatus", () => {
  it("sets the kind's condition to False with reason InvalidSpec, naming the field and why", () => {
    const status = invalidSpecStatus("TrafficPolicy", { metadata: { generation: 3 } }, errors, now);
    expect(status).toEqual({
      observedGeneration: 3,
      conditions: [
        {
          type: "Applied",
          status: "False",
          reason: "InvalidSpec",
          message: "spec.weights: weights must sum to 100. Meridian ignores this TrafficPolicy until it is fixed.",
          lastTransitionTime: "2026-05-01T12:00:00Z",
          observedGeneration: 3,
        },
      ],
    });
  });

  it("keeps other conditions, and is undefined when the object already says the same", () => {
    const other = { type: "Synced", status: "True", reason: "Synced", message: "", lastTransitionTime: "2026-04-01T00:00:00Z" };
    const first = invalidSpecStatus("ServiceDependency", { metadata: { generation: 1 }, status: { conditions: [other] } }, errors, now);
    expect(first?.conditions.map((c) => c.type)).toEqual(["Synced", "Resolved"]);
    expect(invalidSpecStatus("ServiceDependency", { metadata: { generation: 1 }, status: { conditions: first?.conditions } }, errors, later)).toBeUndefined();
  });

  it("writes again for a new generation, keeping the transition time", () => {
    const first = invalidSpecStatus("FailoverDrill", { metadata: { generation: 1 } }, errors, now);
    const second = invalidSpecStatus("FailoverDrill", { metadata: { generation: 2 }, status: { conditions: first?.conditions } }, errors, later);
    expect(second?.conditions[0]).toMatchObject({ type: "Accepted", observedGeneration: 2, lastTransitionTime: "2026-05-01T12:00:00Z" });
  });
});
