import { describe, expect, it } from "vitest";

import { clusterName, plan, comparePlans } from "../core/index.js";
import type { PlanInput, Workload } from "../core/index.js";
import { applyManifests, parseManifests } from "./plan-manifests.js";

const workload = (identity: string, where: string): Workload => ({
  identity, env: "prod", cluster: clusterName(where), namespace: "shop", service: identity, ports: [{ name: "http", port: 80 }], readyByZone: { "": 1 },
});
const fleet: PlanInput = {
  clusters: [
    { name: clusterName("east"), region: "us-east", zone: "a", network: "", gateway: { address: "192.0.2.10", port: 15443 } },
    { name: clusterName("west"), region: "eu-west", zone: "a", network: "", gateway: { address: "192.0.2.20", port: 15443 } },
  ],
  workloads: [workload("checkout", "east"), workload("payments", "west"), workload("ledger", "west")],
  dependencies: [{ ref: { kind: "ServiceDependency", namespace: "shop", name: "checkout" }, source: { identity: "checkout" }, destinations: [{ identity: "payments" }] }],
  policies: [],
  drills: [],
  options: { hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: 8 },
};
const dependency = (destinations: string, namespace = "shop") => `apiVersion: meridian.dev/v1alpha1
kind: ServiceDependency
metadata: { name: checkout, namespace: ${namespace} }
spec:
  source: { identity: checkout }
  destinations: [${destinations}]
`;
const now = "2026-12-07T00:00:00Z";

describe("parseManifests", () => {
  it("reads every document of a stream, skipping empty ones, and defaults the namespace", () => {
    const text = `${dependency("{ identity: payments }")}---\n---\napiVersion: meridian.dev/v1alpha1\nkind: TrafficPolicy\nmetadata: { name: p }\nspec: { identity: payments, mode: Topology }\n`;
    const manifests = parseManifests("deps.yaml", text);
    expect(manifests.map((m) => m.ref)).toEqual([
      { kind: "ServiceDependency", namespace: "shop", name: "checkout" },
      { kind: "TrafficPolicy", namespace: "default", name: "p" },
    ]);
  });

  it("names the file, the document and the field of an invalid manifest", () => {
    const bad = `${dependency("{ identity: payments }")}---\n${dependency("")}`;
    expect(() => parseManifests("deps.yaml", bad)).toThrow(/^deps\.yaml, document 2 \(ServiceDependency checkout\): field spec\.destinations: /);
    expect(() => parseManifests("-", "kind: Deployment\n")).toThrow('-, document 1: field kind is "Deployment"; plan takes ServiceDependency, TrafficPolicy, FailoverDrill and MeshCluster');
    expect(() => parseManifests("x.yaml", "a: [\n")).toThrow(/^x\.yaml, document 1: not valid YAML/);
  });
});

describe("applyManifests", () => {
  it("changes a dependency in place, so the plan adds only the new destination", () => {
    const after = applyManifests(fleet, parseManifests("f", dependency("{ identity: payments }, { identity: ledger }")), { delete: false, now });
    expect(after.dependencies).toHaveLength(1);
    const east = comparePlans(plan(fleet), plan(after)).clusters;
    expect(east.map((c) => [c.cluster, c.created.map((o) => o.name)])).toEqual([["east", ["prod.ledger.global-dr", "prod.ledger.global-se"]]]);
  });

  it("deletes with --delete, and a new TrafficPolicy is created now", () => {
    expect(applyManifests(fleet, parseManifests("f", dependency("{ identity: payments }")), { delete: true, now }).dependencies).toEqual([]);
    const policy = parseManifests("f", "apiVersion: meridian.dev/v1alpha1\nkind: TrafficPolicy\nmetadata: { name: p, namespace: shop }\nspec: { identity: payments, mode: Failover, regions: [eu-west] }\n");
    expect(applyManifests(fleet, policy, { delete: false, now }).policies[0]?.createdAt).toBe(now);
  });

  it("deleting a MeshCluster takes its workloads out too", () => {
    const cluster = parseManifests("f", "apiVersion: meridian.dev/v1alpha1\nkind: MeshCluster\nmetadata: { name: west }\nspec: { region: eu-west, kubeconfigSecretRef: { name: west } }\n");
    const after = applyManifests(fleet, cluster, { delete: true, now });
    expect(after.clusters.map((c) => c.name)).toEqual(["east"]);
    expect(after.workloads.map((w) => w.identity)).toEqual(["checkout"]);
  });
});
