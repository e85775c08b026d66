import { describe, expect, it } from "vitest";

import type { Dependency, PlanInput, Workload } from "./model.js";
import { clusterName } from "./model.js";
import { comparePlans, describeClusterChanges, plansEqual } from "./plan-diff.js";
import { plan } from "./plan.js";

const options = { hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: 8 };
const cluster = (name: string, region: string, address: string) => ({ name: clusterName(name), region, zone: "a", network: "", gateway: { address, port: 15443 } });
const workload = (identity: string, where: string, ready = 1): Workload => ({
  identity, env: "prod", cluster: clusterName(where), namespace: "shop", service: identity, ports: [{ name: "http", port: 80 }], readyByZone: { "": ready },
});
const dependency = (destinations: string[]): Dependency => ({ ref: { kind: "ServiceDependency", namespace: "shop", name: "checkout" }, source: { identity: "checkout" }, destinations: destinations.map((identity) => ({ identity })) });
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  clusters: [cluster("east", "us-east", "192.0.2.10"), cluster("west", "eu-west", "192.0.2.20")],
  workloads: [workload("payments", "west"), workload("checkout", "east"), workload("ledger", "west")],
  dependencies: [dependency(["payments"])],
  policies: [],
  drills: [],
  options,
  ...over,
});

describe("comparePlans", () => {
  it("finds nothing between a plan and itself", () => {
    expect(plansEqual(comparePlans(plan(input()), plan(input())))).toBe(true);
  });

  it("lists what a new destination creates, only in the cluster where its dependent runs", () => {
    const changes = comparePlans(plan(input()), plan(input({ dependencies: [dependency(["payments", "ledger"])] })));
    expect(changes.clusters).toEqual([{ cluster: "east", created: [{ kind: "DestinationRule", name: "prod.ledger.global-dr" }, { kind: "ServiceEntry", name: "prod.ledger.global-se" }], changed: [], deleted: [] }]);
    expect(changes.problemsAppeared).toEqual([]);
  });

  it("diffs a changed gateway address field by field, and a removed dependency as deletions and a new problem", () => {
    const moved = input({ clusters: [cluster("east", "us-east", "192.0.2.10"), cluster("west", "eu-west", "192.0.2.21")] });
    const east = comparePlans(plan(input()), plan(moved)).clusters.find((c) => c.cluster === "east");
    expect(east?.changed).toEqual([{ kind: "ServiceEntry", name: "prod.payments.global-se", fields: [{ path: "spec.endpoints[0].address", before: "192.0.2.20", after: "192.0.2.21" }] }]);
    expect(describeClusterChanges(east ?? { cluster: clusterName("east"), created: [], changed: [], deleted: [] })).toEqual([
      "~ ServiceEntry prod.payments.global-se",
      "    spec.endpoints[0].address: 192.0.2.20 → 192.0.2.21",
    ]);
    const unknown = comparePlans(plan(input()), plan(input({ dependencies: [dependency(["nosuch"])] })));
    expect(unknown.clusters.find((c) => c.cluster === "east")?.deleted).toEqual([{ kind: "DestinationRule", name: "prod.payments.global-dr" }, { kind: "ServiceEntry", name: "prod.payments.global-se" }]);
    expect(unknown.problemsAppeared.map((p) => p.code)).toEqual(["UnknownDestination"]);
    expect(unknown.problemsDisappeared).toEqual([]);
  });
});
