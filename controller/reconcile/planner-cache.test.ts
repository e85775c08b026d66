import fc from "fast-check";
import { describe, expect, test } from "vitest";

import { IdentityGraph } from "../../federation/graph/identity-graph.js";
import { fleetArb } from "../core/fleet.arbitrary.test.js";
import { clusterName } from "../core/index.js";
import type { ClusterName, MemberCluster, PlanInput } from "../core/index.js";
import { PlannerCache } from "./planner-cache.js";

const options = { hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: 10 };

function snapshot(ready: number): Omit<PlanInput, "options"> {
  return {
    clusters: [
      { name: clusterName("a"), region: "us-east", zone: "", network: "", gateway: { address: "192.0.2.1", port: 15443 } },
      { name: clusterName("b"), region: "eu-west", zone: "", network: "", gateway: { address: "192.0.2.2", port: 15443 } },
    ],
    workloads: [{ identity: "payments", env: "default", cluster: clusterName("a"), namespace: "pay", service: "payments", ports: [{ name: "http", port: 80 }], readyByZone: { "": ready } }],
    dependencies: [],
    policies: [],
    drills: [],
  };
}

describe("PlannerCache", () => {
  test("plans from the current snapshot and replans only when the snapshot object changes", () => {
    let current = snapshot(1);
    let reads = 0;
    const cache = new PlannerCache({ snapshot: () => ((reads += 1), current) }, options);
    const first = cache.desiredFor("a", "payments");
    expect(first.objects.map((o) => o.kind)).toEqual(["ServiceEntry", "DestinationRule"]);
    const again = cache.desiredFor("a", "payments");
    expect(again.objects[0]).toBe(first.objects[0]);
    current = snapshot(2);
    const replanned = cache.desiredFor("a", "payments");
    expect(replanned.objects[0]).not.toBe(first.objects[0]);
    expect(reads).toBeGreaterThan(0);
  });

  test("an unknown cluster or identity wants nothing", () => {
    const cache = new PlannerCache({ snapshot: () => snapshot(1) }, options);
    expect(cache.desiredFor("nowhere", "payments").objects).toEqual([]);
    expect(cache.desiredFor("a", "unknown").objects).toEqual([]);
  });
});

describe("PlannerCache, incremental after workload changes", () => {
  const step = fc.record({ cluster: fc.nat(), kind: fc.constantFrom("ready", "drop", "move"), pick: fc.nat(), ready: fc.nat(3) });

  /** The graph of a generated fleet: its first cluster of each name, the workloads of known clusters. */
  function graphOf(input: PlanInput): IdentityGraph {
    const graph = new IdentityGraph();
    const members = [...new Map(input.clusters.map((c) => [c.name, c])).values()].reverse();
    for (const member of members) graph.setCluster(member, input.workloads.filter((w) => w.cluster === member.name));
    input.dependencies.forEach((d, i) => graph.setDependency(`deps/d${i}`, d));
    input.policies.forEach((p, i) => graph.setPolicy(`pol/p${i}`, p));
    input.drills.forEach((d, i) => graph.setDrill(`ops/x${i}`, d));
    return graph;
  }

  /** One workload change through setCluster: a ready count, an identity gone from a cluster, or a workload moved. */
  function apply(graph: IdentityGraph, s: { cluster: number; kind: string; pick: number; ready: number }): void {
    const snapshot = graph.snapshot();
    const names = snapshot.clusters.map((c) => c.name);
    const name = names[s.cluster % names.length] as ClusterName;
    const member = snapshot.clusters.find((c) => c.name === name) as MemberCluster;
    const own = snapshot.workloads.filter((w) => w.cluster === name);
    const picked = own[s.pick % Math.max(1, own.length)];
    if (picked === undefined) return;
    if (s.kind === "ready") graph.setCluster(member, own.map((w) => (w === picked ? { ...w, readyByZone: { z0: s.ready } } : w)));
    if (s.kind === "drop") graph.setCluster(member, own.filter((w) => w.identity !== picked.identity));
    if (s.kind === "move") {
      const to = snapshot.clusters.find((c) => c.name === names[(s.cluster + 1) % names.length]) as MemberCluster;
      if (to.name === name) return;
      graph.setCluster(member, own.filter((w) => w !== picked));
      graph.setCluster(to, [...snapshot.workloads.filter((w) => w.cluster === to.name), { ...picked, cluster: to.name }]);
    }
  }

  /** Every identity's objects and problems in every cluster, as JSON. */
  function everything(cache: PlannerCache, clusters: readonly string[], identities: readonly string[]): string {
    return JSON.stringify(identities.map((identity) => clusters.map((cluster) => cache.desiredFor(cluster, identity))));
  }

  test("equals a full re-plan after every step", () => {
    fc.assert(
      fc.property(fleetArb, fc.array(step, { maxLength: 8 }), (input, steps) => {
        const graph = graphOf(input);
        const incremental = new PlannerCache(graph, input.options);
        incremental.identities();
        for (const s of steps) {
          apply(graph, s);
          const snapshot = graph.snapshot();
          const full = new PlannerCache({ snapshot: () => snapshot }, input.options);
          expect(incremental.identities()).toEqual(full.identities());
          const clusters = snapshot.clusters.map((c) => c.name);
          const identities = [...new Set([...full.identities(), ...input.workloads.map((w) => w.identity)])];
          expect(everything(incremental, clusters, identities)).toBe(everything(full, clusters, identities));
        }
      }),
      { numRuns: 150 },
    );
  });

  test("takes only workload changes incrementally: the graph says which identities changed, and nothing when anything else did", () => {
    const graph = new IdentityGraph();
    const a = { name: clusterName("a"), region: "us-east", zone: "", network: "" };
    const payments = { identity: "payments", env: "default", cluster: a.name, namespace: "pay", service: "payments", ports: [{ name: "http", port: 80 }], readyByZone: { "": 1 } };
    graph.setCluster(a, [payments]);
    const first = graph.snapshot();
    graph.setCluster(a, [{ ...payments, readyByZone: { "": 2 } }]);
    expect([...(graph.workloadChangesSince(first) ?? ["(everything)"])]).toEqual(["payments"]);
    graph.setCluster({ ...a, region: "eu-west" }, [{ ...payments, readyByZone: { "": 2 } }]);
    expect(graph.workloadChangesSince(first)).toBeUndefined();
    expect(graph.workloadsOf("payments").map((w) => w.readyByZone)).toEqual([{ "": 2 }]);
  });
});
