// checkPolicies: the planner's policy problems, by policy, plus single-region identities.
import { describe, expect, it } from "vitest";

import type { PlanInput, TrafficPolicy, Workload } from "./model.js";
import { clusterName } from "./model.js";
import { checkPolicies } from "./policy-check.js";

const options = { hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: 8 };
const clusters = [
  { name: clusterName("east-a"), region: "us-east", zone: "a", network: "", gateway: { address: "192.0.2.1", port: 15443 } },
  { name: clusterName("west-a"), region: "eu-west", zone: "a", network: "", gateway: { address: "192.0.2.2", port: 15443 } },
];
const workload = (identity: string, cluster: string, ready = 1): Workload => ({
  identity,
  env: "default",
  cluster: clusterName(cluster),
  namespace: "shop",
  service: identity,
  ports: [{ name: "http", port: 80 }],
  readyByZone: { "": ready },
});
const policy = (name: string, fields: Partial<TrafficPolicy> & Pick<TrafficPolicy, "identity" | "mode">): TrafficPolicy => ({
  ref: { kind: "TrafficPolicy", namespace: "shop", name },
  createdAt: "2026-01-01T00:00:00Z",
  regions: [],
  weights: [],
  ...fields,
});

function input(policies: TrafficPolicy[], workloads: Workload[]): PlanInput {
  return { clusters, workloads, dependencies: [], policies, drills: [], options };
}

describe("checkPolicies", () => {
  it("reports an unknown region, a weighted region without endpoints and a single-region identity, each on its policy", () => {
    const findings = checkPolicies(
      input(
        [
          policy("payments", { identity: "payments", mode: "Failover", regions: ["us-east", "ap-south"] }),
          policy("checkout", { identity: "checkout", mode: "Weighted", weights: [{ region: "us-east", weight: 50 }, { region: "eu-west", weight: 50 }] }),
        ],
        [workload("payments", "east-a"), workload("payments", "west-a"), workload("checkout", "east-a"), workload("checkout", "west-a", 0)],
      ),
    );
    expect(findings.map((f) => [f.policy, f.code])).toEqual([
      ["shop/checkout", "SingleRegion"],
      ["shop/checkout", "WeightedRegionWithoutEndpoints"],
      ["shop/payments", "UnknownRegion"],
    ]);
    expect(findings.find((f) => f.code === "UnknownRegion")?.message).toContain("region ap-south");
    expect(findings.find((f) => f.code === "SingleRegion")?.message).toContain("only in region us-east");
  });

  it("finds nothing wrong with a policy over an identity serving in two known regions", () => {
    const findings = checkPolicies(input([policy("payments", { identity: "payments", mode: "Failover", regions: ["us-east", "eu-west"] })], [workload("payments", "east-a"), workload("payments", "west-a")]));
    expect(findings).toEqual([]);
  });

  it("reports a policy whose identity runs nowhere", () => {
    const findings = checkPolicies(input([policy("ghost", { identity: "ghost", mode: "Topology" })], [workload("payments", "east-a")]));
    expect(findings.map((f) => f.code)).toEqual(["PolicyIdentityNotRunning"]);
  });
});
