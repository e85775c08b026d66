// The day-2 commands' output, from plans and live objects built in memory (no cluster).
import { describe, expect, it } from "vitest";

import { clusterName, comparePlans, explain, plan } from "../core/index.js";
import type { LiveObject, PlanInput, Workload } from "../core/index.js";
import { anyDifference, diffData, diffMembers, renderDiffTable } from "./diff-render.js";
import { hostLiveState, renderExplanation } from "./explain-render.js";
import { renderPlanChanges } from "./plan-render.js";

const workload = (identity: string, where: string): Workload => ({
  identity, env: "prod", cluster: clusterName(where), namespace: "shop", service: identity, ports: [{ name: "http", port: 80 }], readyByZone: { "": 2 },
});
const fleet = (gateway = "192.0.2.20"): PlanInput => ({
  clusters: [
    { name: clusterName("east"), region: "us-east", zone: "a", network: "", gateway: { address: "192.0.2.10", port: 15443 } },
    { name: clusterName("west"), region: "eu-west", zone: "a", network: "", gateway: { address: gateway, port: 15443 } },
  ],
  workloads: [workload("checkout", "east"), workload("payments", "west")],
  dependencies: [{ ref: { kind: "ServiceDependency", namespace: "shop", name: "checkout" }, source: { identity: "checkout" }, destinations: [{ identity: "payments" }] }],
  policies: [],
  drills: [],
  options: { hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: 8 },
});
const east = (input: PlanInput) => plan(input).clusters.find((c) => c.cluster === "east");
const asLive = (input: PlanInput): LiveObject[] => {
  const c = east(input);
  return [...(c?.serviceEntries ?? []), ...(c?.destinationRules ?? [])];
};

describe("diff output", () => {
  it("prints no differences when the live objects are the desired ones, and a drifted field otherwise", () => {
    const desired = asLive(fleet()) as never[];
    const clean = diffMembers([{ cluster: clusterName("east"), desired, live: asLive(fleet()) }]);
    expect(anyDifference(clean)).toBe(false);
    expect(renderDiffTable(clean)).toBe("No differences: 4 objects in sync in 1 member cluster.\n");
    const drifted = diffMembers([{ cluster: clusterName("east"), desired, live: asLive(fleet("192.0.2.99")) }]);
    expect(renderDiffTable(drifted)).toContain("east      ServiceEntry   prod.payments.global-se   drifted   spec.endpoints[0].address: 192.0.2.99 → 192.0.2.20");
    expect(diffData(drifted)).toMatchObject({ differs: true, clusters: [{ cluster: "east", inSync: 3 }] });
  });

  it("narrows to one identity and reports an unreadable member as unknown", () => {
    const desired = asLive(fleet()) as never[];
    expect(diffMembers([{ cluster: clusterName("east"), desired, live: [] }], "ledger")[0]?.diff?.missing).toEqual([]);
    const unknown = diffMembers([{ cluster: clusterName("west"), error: "not synced" }]);
    expect(anyDifference(unknown)).toBe(true);
    expect(renderDiffTable(unknown)).toMatch(/^west {6}\s+unknown {3}not synced$/m);
  });
});

describe("plan output", () => {
  it("lists created, changed (with the field) and the summary; nothing when nothing changes", () => {
    expect(renderPlanChanges(comparePlans(plan(fleet()), plan(fleet())))).toBe("No changes: every member cluster keeps its ServiceEntries and DestinationRules, and no problem appears or disappears.\n");
    const text = renderPlanChanges(comparePlans(plan(fleet()), plan(fleet("192.0.2.21"))));
    expect(text).toBe("Cluster east:\n  ~ ServiceEntry prod.payments.global-se\n      spec.endpoints[0].address: 192.0.2.20 → 192.0.2.21\n\nPlan: 0 to create, 1 to change, 0 to delete in 1 cluster; 0 new problem(s), 0 resolved.\n");
  });
});

describe("explain output", () => {
  it("gives the sentences, the endpoints, the failover order and the live state", () => {
    const input = fleet();
    const explanation = explain(input, plan(input), { identity: "payments", from: clusterName("east") });
    const host = explanation.hosts[0];
    if (host === undefined) throw new Error("no host");
    const live = hostLiveState(host, "payments", asLive(input) as never[], asLive(input).filter((o) => o.kind === "ServiceEntry"));
    expect(live.objects.map((o) => o.state)).toEqual(["in sync", "missing"]);
    const text = renderExplanation(explanation, [live]);
    expect(text).toContain("Identity payments, seen from east (us-east/a).\n\nprod.payments.global is placed in east.\nBecause ServiceDependency shop/checkout names payments, and its source checkout runs in east (namespace shop).");
    expect(text).toContain("west      192.0.2.20   http:15443   eu-west/a   2");
    expect(text).toContain("Failover order for a client in us-east/a (no TrafficPolicy: the default, Topology):\n  1. region eu-west (failover)");
    expect(text).toContain("DestinationRule   prod.payments.global-dr   missing");
  });
});
