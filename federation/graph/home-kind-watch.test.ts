import { describe, expect, it } from "vitest";

import { parseTrafficPolicy } from "../../crds/index.js";
import { kindBinding } from "./home-kind-watch.js";

describe("kindBinding", () => {
  const stored = new Map<string, unknown>();
  const binding = kindBinding("TrafficPolicy", parseTrafficPolicy, (key, value) => (value === undefined ? stored.delete(key) : stored.set(key, value)));
  const policy = (spec: Record<string, unknown>): unknown => ({ apiVersion: "meridian.dev/v1alpha1", kind: "TrafficPolicy", metadata: { name: "p", namespace: "shop" }, spec });

  it("stores a valid object parsed, with defaults", () => {
    expect(binding.update("shop/p", policy({ identity: "payments" }))).toBeUndefined();
    expect(stored.get("shop/p")).toMatchObject({ spec: { identity: "payments", mode: "Topology" } });
  });

  it("skips an invalid object (removing what was stored) and returns which field and why", () => {
    const errors = binding.update("shop/p", policy({ identity: "payments", mode: "Weighted", weights: [{ region: "us-east", weight: 60 }] }));
    expect(errors).toEqual([{ path: "spec.weights", message: "weights must sum to 100", layer: "cel" }]);
    expect(stored.has("shop/p")).toBe(false);
  });

  it("removes a deleted object", () => {
    binding.update("shop/p", policy({ identity: "payments" }));
    expect(binding.update("shop/p", undefined)).toBeUndefined();
    expect(stored.has("shop/p")).toBe(false);
  });
});
