import { describe, expect, it } from "vitest";

import { explain } from "./explain.js";
import type { Dependency, Drill, PlanInput, TrafficPolicy, Workload } from "./model.js";
import { clusterName } from "./model.js";
import { plan } from "./plan.js";

const options = { hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: 8 };
const cluster = (name: string, region: string, zone: string, address?: string) => ({ name: clusterName(name), region, zone, network: "", ...(address === undefined ? {} : { gateway: { address, port: 15443 } }) });
const workload = (identity: string, where: string, ready: Record<string, number> = { "": 1 }): Workload => ({
  identity, env: "prod", cluster: clusterName(where), namespace: "shop", service: identity, ports: [{ name: "http", port: 80 }], readyByZone: ready,
});
const checkout: Dependency = { ref: { kind: "ServiceDependency", namespace: "shop", name: "checkout" }, source: { identity: "checkout" }, destinations: [{ identity: "payments" }] };
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  clusters: [cluster("east-a", "us-east", "a", "192.0.2.1"), cluster("east-b", "us-east", "b", "192.0.2.2"), cluster("west", "eu-west", "a", "192.0.2.3"), cluster("lone", "ap-south", "a")],
  workloads: [workload("payments", "east-b", { b: 2 }), workload("payments", "west", { a: 3 }), workload("payments", "lone"), workload("checkout", "east-a"), workload("audit", "west")],
  dependencies: [checkout],
  policies: [],
  drills: [],
  options,
  ...over,
});
const explainFrom = (i: PlanInput, from: string, identity = "payments") => explain(i, plan(i), { identity, from: clusterName(from) });

describe("explain", () => {
  it("names the dependency that places a host, its endpoints, the workloads left out and the failover order", () => {
    const result = explainFrom(input(), "east-a");
    const host = result.hosts[0];
    expect(result.locality).toBe("us-east/a");
    expect(host?.host).toBe("prod.payments.global");
    expect(host?.placed).toBe(true);
    expect(host?.because).toEqual(["prod.payments.global is placed in east-a.", "Because ServiceDependency shop/checkout names payments, and its source checkout runs in east-a (namespace shop)."]);
    expect(host?.endpoints).toEqual([
      { cluster: "east-b", address: "192.0.2.2", ports: { http: 15443 }, locality: "us-east/b", ready: 2 },
      { cluster: "west", address: "192.0.2.3", ports: { http: 15443 }, locality: "eu-west/a", ready: 3 },
    ]);
    expect(host?.workloads.find((w) => w.cluster === "lone")?.leftOut).toBe("cluster lone has no east-west gateway (spec.gateway), so east-a cannot reach it");
    expect(host?.failover).toEqual({ mode: "Topology", order: ["region us-east (other zones)", "region eu-west (failover)"] });
    expect(result.problems.map((p) => p.code)).toEqual(["GatewayMissing"]);
  });

  it("says why a host is not placed: no dependent there, and a dependency whose source runs elsewhere", () => {
    const host = explainFrom(input(), "west", "audit").hosts[0];
    expect(host?.placed).toBe(true);
    const notPlaced = explainFrom(input({ dependencies: [{ ...checkout, destinations: [{ identity: "audit" }] }] }), "east-b", "audit").hosts[0];
    expect(notPlaced?.placed).toBe(false);
    expect(notPlaced?.because).toEqual([
      "prod.audit.global is not placed in east-b: audit does not run there and no ServiceDependency whose source runs there names it.",
      "ServiceDependency shop/checkout names it, but its source checkout runs only in east-a, not in east-b.",
    ]);
  });

  it("shows a drill taking endpoints out, and a Failover policy's order", () => {
    const drill: Drill = { ref: { kind: "FailoverDrill", namespace: "ops", name: "evacuate-west" }, target: { region: "eu-west" } };
    const policy: TrafficPolicy = { ref: { kind: "TrafficPolicy", namespace: "shop", name: "payments" }, createdAt: "2026-01-01T00:00:00Z", identity: "payments", mode: "Failover", regions: ["eu-west", "us-east"], weights: [] };
    const host = explainFrom(input({ drills: [drill], policies: [policy] }), "east-a").hosts[0];
    expect(host?.drills).toEqual([{ drill: drill.ref, target: "region eu-west", removed: ["west shop/payments"] }]);
    expect(host?.workloads.find((w) => w.cluster === "west")?.leftOut).toBe("evacuated by FailoverDrill ops/evacuate-west (region eu-west)");
    expect(host?.endpoints.map((e) => e.cluster)).toEqual(["east-b"]);
    expect(host?.failover).toEqual({ policy: policy.ref, mode: "Failover", order: ["region us-east"] });
  });

  it("shows a Failover-mode endpoint's region (its label; it has no locality) with the ready endpoints behind it", () => {
    const policy: TrafficPolicy = { ref: { kind: "TrafficPolicy", namespace: "shop", name: "payments" }, createdAt: "2026-01-01T00:00:00Z", identity: "payments", mode: "Failover", regions: ["eu-west", "us-east"], weights: [] };
    const host = explainFrom(input({ policies: [policy] }), "east-a").hosts[0];
    expect(host?.endpoints.map((e) => [e.cluster, e.locality, e.ready])).toEqual([
      ["east-b", "us-east", 2],
      ["west", "eu-west", 3],
    ]);
  });

  it("notes a cluster outside the fleet and an identity that runs nowhere", () => {
    expect(explainFrom(input(), "nowhere").notes[0]).toContain("Cluster nowhere is not in the fleet");
    const nothing = explainFrom(input(), "east-a", "ghost");
    expect(nothing.hosts).toEqual([]);
    expect(nothing.notes).toEqual(["Identity ghost runs in no registered cluster that has synced: no host of it is placed anywhere."]);
  });

  it("says a wanted host without a serving endpoint is not written", () => {
    const i = input({ workloads: [workload("payments", "west", { a: 0 }), workload("checkout", "east-a")] });
    const host = explainFrom(i, "east-a").hosts[0];
    expect(host?.placed).toBe(false);
    expect(host?.because[0]).toContain("is wanted in east-a but not placed: it has no endpoint that can serve");
    expect(host?.workloads[0]?.leftOut).toBe("no ready endpoints");
  });
});

describe("explain --namespace", () => {
  it("says whether the client's namespace sees the host (exportTo)", () => {
    const i = input();
    const seen = explain(i, plan(i), { identity: "payments", from: clusterName("east-a"), namespace: "shop" }).hosts[0];
    expect(seen?.visibility).toEqual({ namespace: "shop", visible: true, exportTo: ["shop"] });
    const hidden = explain(i, plan(i), { identity: "payments", from: clusterName("east-a"), namespace: "other" }).hosts[0];
    expect(hidden?.visibility?.visible).toBe(false);
  });
});

describe("explain failover order", () => {
  it("starts with the client's zone, then its region, then the failover region", () => {
    const i = input({ workloads: [workload("payments", "east-a", { a: 1 }), workload("payments", "east-b", { b: 1 }), workload("payments", "west", { a: 1 }), workload("checkout", "east-a")] });
    expect(explainFrom(i, "east-a").hosts[0]?.failover.order).toEqual(["zone us-east/a", "region us-east (other zones)", "region eu-west (failover)"]);
  });

  it("names the own region once for a cluster without a zone", () => {
    const i = input({ clusters: [cluster("east-a", "us-east", "", "192.0.2.1"), cluster("east-b", "us-east", "", "192.0.2.2"), cluster("west", "eu-west", "", "192.0.2.3")], workloads: [workload("payments", "east-b"), workload("payments", "west"), workload("checkout", "east-a")] });
    expect(explainFrom(i, "east-a").hosts[0]?.failover.order).toEqual(["region us-east", "region eu-west (failover)"]);
  });
});
