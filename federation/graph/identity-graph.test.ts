import { describe, expect, it } from "vitest";

import { clusterName } from "../graph-model.js";
import type { Workload } from "../graph-model.js";
import type { GraphChangeSink } from "./change-sink.js";
import { IdentityGraph } from "./identity-graph.js";
import type { MemberCluster } from "./model.js";

function recorder(): GraphChangeSink & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    identitiesChanged: (identities, cause) => events.push(`${identities.join(",")} <- ${cause}`),
    allChanged: (cause) => events.push(`* <- ${cause}`),
  };
}

function member(name: string, region = "us-east"): MemberCluster {
  return { name: clusterName(name), region, zone: "", network: name };
}

function workload(identity: string, cluster: string, namespace = "shop"): Workload {
  return { identity, env: "default", cluster: clusterName(cluster), namespace, service: identity, ports: [{ name: "http", port: 80 }], readyByZone: { "": 1 } };
}

describe("IdentityGraph", () => {
  it("assembles a sorted snapshot from every cluster and the home objects", () => {
    const graph = new IdentityGraph();
    graph.setCluster(member("west-1", "us-west"), [workload("payments", "west-1")]);
    graph.setCluster(member("east-1"), [workload("payments", "east-1"), workload("cart", "east-1")]);
    graph.setDependency("shop/b", { ref: { kind: "ServiceDependency", namespace: "shop", name: "b" }, source: { identity: "cart" }, destinations: [{ identity: "payments" }] });
    graph.setDependency("shop/a", { ref: { kind: "ServiceDependency", namespace: "shop", name: "a" }, source: { identity: "x" }, destinations: [{ identity: "y" }] });
    const snapshot = graph.snapshot();
    expect(snapshot.clusters.map((c) => c.name)).toEqual(["east-1", "west-1"]);
    expect(snapshot.workloads.map((w) => `${w.identity}@${w.cluster}`)).toEqual(["cart@east-1", "payments@east-1", "payments@west-1"]);
    expect(snapshot.dependencies.map((d) => d.ref.name)).toEqual(["a", "b"]);
    expect(snapshot.policies).toEqual([]);
    expect(snapshot.drills).toEqual([]);
  });

  it("reports the identities of one cluster's changes only, with their cause", () => {
    const graph = new IdentityGraph();
    const sink = recorder();
    graph.setCluster(member("west-1"), [workload("payments", "west-1")]);
    graph.subscribe(sink);
    graph.setCluster(member("east-1"), [workload("cart", "east-1")]);
    graph.setCluster(member("east-1"), [workload("cart", "east-1", "shop-v2"), workload("search", "east-1")]);
    graph.setCluster(member("east-1", "us-central"), [workload("cart", "east-1", "shop-v2"), workload("search", "east-1")]);
    graph.removeCluster(clusterName("east-1"));
    expect(sink.events).toEqual([
      "cart <- Cluster east-1 joined",
      "cart,search <- Cluster east-1 changed",
      "cart,search <- Cluster east-1 changed",
      "cart,search <- Cluster east-1 left",
    ]);
    expect(graph.snapshot().clusters.map((c) => c.name)).toEqual(["west-1"]);
  });

  it("names a caller's destinations when the caller enters or leaves a cluster", () => {
    const graph = new IdentityGraph();
    const sink = recorder();
    graph.setDependency("shop/web", { ref: { kind: "ServiceDependency", namespace: "shop", name: "web" }, source: { identity: "web" }, destinations: [{ identity: "checkout" }, { identity: "payments" }] });
    graph.setCluster(member("east-1"), [workload("payments", "east-1")]);
    graph.subscribe(sink);
    graph.setCluster(member("east-1"), [workload("payments", "east-1"), workload("web", "east-1")]);
    graph.setCluster(member("east-1"), [workload("payments", "east-1")]);
    expect(sink.events).toEqual(["checkout,payments,web <- Cluster east-1 changed", "checkout,payments,web <- Cluster east-1 changed"]);
  });

  it("lists pending clusters in the snapshot; releasing one names every identity", () => {
    const graph = new IdentityGraph();
    const sink = recorder();
    graph.subscribe(sink);
    graph.setPending(clusterName("west-1"), true);
    graph.setPending(clusterName("east-1"), true);
    expect(graph.snapshot().pendingClusters).toEqual(["east-1", "west-1"]);
    expect(sink.events).toEqual([]);
    graph.setPending(clusterName("west-1"), false);
    graph.removeCluster(clusterName("east-1"));
    expect(graph.pendingClusters()).toEqual([]);
    expect(sink.events).toEqual(["* <- Cluster west-1 no longer pending", "* <- Cluster east-1 no longer pending"]);
  });

  it("reports nothing for an update that changes nothing, and rebuilds the snapshot for one that changes only clusters", () => {
    const graph = new IdentityGraph();
    const sink = recorder();
    graph.subscribe(sink);
    graph.setCluster(member("east-1"), []);
    const first = graph.snapshot();
    graph.setCluster(member("east-1"), []);
    graph.setCluster(member("east-1", "us-west"), []);
    expect(sink.events).toEqual([]);
    expect(graph.snapshot()).not.toBe(first);
    expect(graph.snapshot().clusters[0]?.region).toBe("us-west");
  });

  it("reports a wildcard dependency as all identities, and stops after unsubscribe", () => {
    const graph = new IdentityGraph();
    const sink = recorder();
    const unsubscribe = graph.subscribe(sink);
    graph.setDependency("shop/all", { ref: { kind: "ServiceDependency", namespace: "shop", name: "all" }, source: { identity: "gw" }, destinations: [{ identity: "*" }] });
    graph.setPolicy("shop/p", { ref: { kind: "TrafficPolicy", namespace: "shop", name: "p" }, createdAt: "", identity: "cart", mode: "Topology", regions: [], weights: [] });
    unsubscribe();
    graph.setPolicy("shop/p", undefined);
    expect(sink.events).toEqual(["* <- ServiceDependency shop/all changed", "cart <- TrafficPolicy shop/p changed"]);
    expect(graph.snapshot().policies).toEqual([]);
  });

  it("reports a drill over every identity as the identities running in its target", () => {
    const graph = new IdentityGraph();
    graph.setCluster(member("east-1"), [workload("cart", "east-1"), workload("search", "east-1")]);
    graph.setCluster(member("east-2"), [workload("orders", "east-2")]);
    graph.setCluster(member("west-1", "us-west"), [workload("payments", "west-1"), workload("cart", "west-1")]);
    const sink = recorder();
    graph.subscribe(sink);
    const ref = { kind: "FailoverDrill", namespace: "ops", name: "d" };
    graph.setDrill("ops/d", { ref, target: { region: "us-east" } });
    graph.setDrill("ops/d", undefined);
    graph.setDrill("ops/e", { ref: { ...ref, name: "e" }, target: { cluster: clusterName("west-1") } });
    expect(sink.events).toEqual(["cart,orders,search <- FailoverDrill ops/d changed", "cart,orders,search <- FailoverDrill ops/d changed", "cart,payments <- FailoverDrill ops/e changed"]);
    expect(graph.snapshot().drills).toHaveLength(1);
  });

  it("returns the same snapshot object until something changes", () => {
    const graph = new IdentityGraph();
    graph.setCluster(member("east-1"), [workload("cart", "east-1")]);
    expect(graph.snapshot()).toBe(graph.snapshot());
  });

  it("keeps the snapshot object through updates with equal values (a status write), and rebuilds it for a changed one", () => {
    const graph = new IdentityGraph();
    const dependency = (destination: string) => ({ ref: { kind: "ServiceDependency" as const, namespace: "shop", name: "a" }, source: { identity: "cart" }, destinations: [{ identity: destination }] });
    graph.setCluster(member("east-1"), [workload("cart", "east-1")]);
    graph.setDependency("shop/a", dependency("payments"));
    graph.setPolicy("shop/p", undefined);
    const first = graph.snapshot();
    graph.setCluster(member("east-1"), [workload("cart", "east-1")]);
    graph.setDependency("shop/a", dependency("payments"));
    graph.setPolicy("shop/p", undefined);
    graph.setDrill("ops/d", undefined);
    expect(graph.snapshot()).toBe(first);
    graph.setDependency("shop/a", dependency("ledger"));
    expect(graph.snapshot()).not.toBe(first);
    expect(graph.snapshot().dependencies[0]?.destinations).toEqual([{ identity: "ledger" }]);
    const second = graph.snapshot();
    graph.setCluster(member("east-1"), [workload("cart", "east-1"), workload("ledger", "east-1")]);
    expect(graph.snapshot()).not.toBe(second);
  });
});
