import { describe, expect, it } from "vitest";

import { clusterName } from "../graph-model.js";
import type { Workload } from "../graph-model.js";
import { callerChangeKeys, clusterChangeKeys, dependencyChangeKeys, drillChangeKeys, policyChangeKeys, sameValue, workloadChangeKeys } from "./change-keys.js";
import type { Dependency, Drill, MemberCluster, TrafficPolicy } from "./model.js";

const east = clusterName("east-1");

function workload(identity: string, parts: Partial<Workload> = {}): Workload {
  return { identity, env: "default", cluster: east, namespace: "shop", service: identity, ports: [{ name: "http", port: 80 }], readyByZone: { a: 1 }, ...parts };
}

function dependency(source: string, destinations: string[], name = "dep"): Dependency {
  return { ref: { kind: "ServiceDependency", namespace: "shop", name }, source: { identity: source }, destinations: destinations.map((identity) => ({ identity })) };
}

function policy(identity: string, mode: TrafficPolicy["mode"] = "Topology"): TrafficPolicy {
  return { ref: { kind: "TrafficPolicy", namespace: "shop", name: "p" }, createdAt: "2026-01-01T00:00:00Z", identity, mode, regions: [], weights: [] };
}

function drill(identities?: string[]): Drill {
  const base = { ref: { kind: "FailoverDrill", namespace: "shop", name: "d" }, target: { region: "us-east" } };
  return identities === undefined ? base : { ...base, identities };
}

describe("workloadChangeKeys", () => {
  it("names an identity that appears, disappears or changes, and nothing else", () => {
    const before = [workload("cart"), workload("payments"), workload("search")];
    const after = [workload("cart"), workload("payments", { readyByZone: {} }), workload("reviews")];
    expect(workloadChangeKeys(before, after)).toEqual({ all: false, identities: ["payments", "reviews", "search"] });
  });

  it("names the identity of a Service that moved to another namespace", () => {
    expect(workloadChangeKeys([workload("cart")], [workload("cart", { namespace: "shop-v2" })])).toEqual({ all: false, identities: ["cart"] });
  });

  it("names the old and the new identity when a Service is relabelled", () => {
    expect(workloadChangeKeys([workload("cart")], [workload("basket", { service: "cart" })])).toEqual({ all: false, identities: ["basket", "cart"] });
  });

  it("names nothing when the lists are equal", () => {
    expect(workloadChangeKeys([workload("cart")], [workload("cart")])).toEqual({ all: false, identities: [] });
  });
});

describe("callerChangeKeys", () => {
  const dependencies = [dependency("web", ["checkout", "payments"]), dependency("cart", ["stock"], "cart")];

  it("names the destinations of a caller that enters or leaves the cluster", () => {
    expect(callerChangeKeys([], [workload("web")], dependencies)).toEqual({ all: false, identities: ["checkout", "payments"] });
    expect(callerChangeKeys([workload("web"), workload("cart")], [workload("cart")], dependencies)).toEqual({ all: false, identities: ["checkout", "payments"] });
  });

  it("names them when the caller moves to another namespace or env, not when only its endpoints change", () => {
    expect(callerChangeKeys([workload("web")], [workload("web", { namespace: "shop-v2" })], dependencies)).toEqual({ all: false, identities: ["checkout", "payments"] });
    expect(callerChangeKeys([workload("web")], [workload("web", { env: "qa" })], dependencies)).toEqual({ all: false, identities: ["checkout", "payments"] });
    expect(callerChangeKeys([workload("web")], [workload("web", { readyByZone: { b: 3 } })], dependencies)).toEqual({ all: false, identities: [] });
  });

  it("names all for a caller with a wildcard dependency, nothing for an identity that calls nothing", () => {
    expect(callerChangeKeys([], [workload("web")], [dependency("web", ["*"])])).toEqual({ all: true });
    expect(callerChangeKeys([], [workload("stock")], dependencies)).toEqual({ all: false, identities: [] });
  });
});

describe("clusterChangeKeys", () => {
  const member: MemberCluster = { name: east, region: "us-east", zone: "", network: "east-1" };
  const workloads = [workload("cart"), workload("payments"), workload("cart", { env: "qa" })];

  it("names every identity with a workload in the cluster when its gateway changes", () => {
    const after = { ...member, gateway: { address: "10.0.0.1", port: 15443 } };
    expect(clusterChangeKeys(member, after, workloads)).toEqual({ all: false, identities: ["cart", "payments"] });
  });

  it("names them when the cluster joins or leaves", () => {
    expect(clusterChangeKeys(undefined, member, workloads)).toEqual({ all: false, identities: ["cart", "payments"] });
    expect(clusterChangeKeys(member, undefined, workloads)).toEqual({ all: false, identities: ["cart", "payments"] });
  });

  it("names nothing when the cluster's attributes are unchanged", () => {
    expect(clusterChangeKeys(member, { ...member }, workloads)).toEqual({ all: false, identities: [] });
  });
});

describe("dependencyChangeKeys", () => {
  it("names the source and the destinations of the old and the new spec", () => {
    expect(dependencyChangeKeys(dependency("checkout", ["payments", "cart"]), dependency("checkout", ["inventory"]))).toEqual({
      all: false,
      identities: ["cart", "checkout", "inventory", "payments"],
    });
  });

  it("names them on creation and deletion", () => {
    expect(dependencyChangeKeys(undefined, dependency("checkout", ["payments"]))).toEqual({ all: false, identities: ["checkout", "payments"] });
    expect(dependencyChangeKeys(dependency("checkout", ["payments"]), undefined)).toEqual({ all: false, identities: ["checkout", "payments"] });
  });

  it("is every identity when either side has a wildcard destination", () => {
    expect(dependencyChangeKeys(dependency("checkout", ["*"]), dependency("checkout", ["payments"]))).toEqual({ all: true });
    expect(dependencyChangeKeys(undefined, dependency("checkout", ["*"]))).toEqual({ all: true });
  });

  it("is nothing when the spec did not change", () => {
    expect(dependencyChangeKeys(dependency("checkout", ["payments"]), dependency("checkout", ["payments"]))).toEqual({ all: false, identities: [] });
  });
});

describe("policyChangeKeys", () => {
  it("names the old and the new identity", () => {
    expect(policyChangeKeys(policy("payments"), policy("cart"))).toEqual({ all: false, identities: ["cart", "payments"] });
    expect(policyChangeKeys(policy("payments"), policy("payments", "Failover"))).toEqual({ all: false, identities: ["payments"] });
    expect(policyChangeKeys(policy("payments"), policy("payments"))).toEqual({ all: false, identities: [] });
  });
});

describe("drillChangeKeys", () => {
  const inUsEast = (target: Drill["target"]): string[] => ("region" in target && target.region === "us-east" ? ["cart", "search"] : ["elsewhere"]);

  it("names the drill's scope when it starts or ends", () => {
    expect(drillChangeKeys(undefined, drill(["payments", "cart"]), inUsEast)).toEqual({ all: false, identities: ["cart", "payments"] });
    expect(drillChangeKeys(drill(["payments"]), undefined, inUsEast)).toEqual({ all: false, identities: ["payments"] });
  });

  it("is the identities running in the target for a drill without a list of identities", () => {
    expect(drillChangeKeys(undefined, drill(), inUsEast)).toEqual({ all: false, identities: ["cart", "search"] });
    expect(drillChangeKeys(drill([]), undefined, inUsEast)).toEqual({ all: false, identities: ["cart", "search"] });
    expect(drillChangeKeys(drill(["payments"]), drill(), inUsEast)).toEqual({ all: false, identities: ["cart", "payments", "search"] });
  });

  it("is nothing while an active drill stays the same", () => {
    expect(drillChangeKeys(drill(["payments"]), drill(["payments"]), inUsEast)).toEqual({ all: false, identities: [] });
    expect(drillChangeKeys(drill(), drill(), inUsEast)).toEqual({ all: false, identities: [] });
  });
});

describe("sameValue", () => {
  it("ignores the order of object keys and undefined fields, not the order of lists", () => {
    expect(sameValue({ a: 1, b: { c: 2, d: undefined } }, { b: { c: 2 }, a: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
  });
});
