import { describe, expect, it } from "vitest";
import { localityLbSetting } from "./locality-lb.js";
import type { TrafficPolicy } from "./model.js";

const policy = (p: Partial<TrafficPolicy>): TrafficPolicy => ({
  ref: { kind: "TrafficPolicy", namespace: "ns", name: "p" }, createdAt: "2026-01-01T00:00:00Z",
  identity: "svc", mode: "Topology", regions: [], weights: [], ...p,
});

describe("localityLbSetting", () => {
  it("Topology reads the order as a ring and skips regions without endpoints", () => {
    const p = policy({ regions: ["c", "a"] });
    const regions = ["a", "b", "c"]; // order: c, a, b
    expect(localityLbSetting(p, "c", regions).failover).toEqual([{ from: "c", to: "a" }]);
    expect(localityLbSetting(p, "a", regions).failover).toEqual([{ from: "a", to: "b" }]);
    expect(localityLbSetting(p, "b", regions).failover).toEqual([{ from: "b", to: "c" }]);
    expect(localityLbSetting(p, "b", ["a", "b"]).failover).toEqual([{ from: "b", to: "a" }]);
    expect(localityLbSetting(p, "z", regions).failover).toEqual([{ from: "z", to: "c" }]);
  });

  it("Topology omits failover when no other region has endpoints", () => {
    expect(localityLbSetting(undefined, "a", ["a"])).toEqual({ enabled: true });
    expect(localityLbSetting(undefined, "a", [])).toEqual({ enabled: true });
  });

  it("Failover prefers the first listed region with endpoints, whatever the client's region", () => {
    const p = policy({ mode: "Failover", regions: ["x", "b", "a"] });
    expect(localityLbSetting(p, "a", ["a", "b"])).toEqual({ enabled: true, failoverPriority: ["topology.kubernetes.io/region=b"] });
    expect(localityLbSetting(p, "a", ["c"])).toEqual({ enabled: true });
  });

  it("Weighted distributes over regions with endpoints, rescaled to 100", () => {
    const p = policy({ mode: "Weighted", weights: [{ region: "a", weight: 20 }, { region: "b", weight: 20 }, { region: "c", weight: 60 }] });
    expect(localityLbSetting(p, "a", ["a", "b"]).distribute).toEqual([{ from: "*", to: { "a/*": 50, "b/*": 50 } }]);
    expect(localityLbSetting(p, "a", ["d"]).distribute).toEqual([{ from: "*", to: { "d/*": 100 } }]);
  });
});
