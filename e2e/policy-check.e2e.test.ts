// `meridian policy check` against real clusters: the registered members' workloads and the home
// cluster's TrafficPolicies, read exactly as the controller reads them; findings by policy, exit 6.
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { API_VERSION } from "../crds/index.js";
import { statusOf } from "./support/clusters.js";
import { apply, setUpFleet, type Member, type TestFleet } from "./support/controller-fleet.js";
import { deleteHomeObjects } from "./support/federation-members.js";
import { applyWorkload } from "./support/federation-workloads.js";
import { meridian } from "./support/meridian-cli.js";

describe("meridian policy check", () => {
  let fleet: TestFleet;
  let payments = "", checkout = "";
  const policy = (name: string, spec: Record<string, unknown>): KubernetesObject =>
    ({ apiVersion: API_VERSION, kind: "TrafficPolicy", metadata: { name, namespace: fleet.namespace }, spec }) as KubernetesObject;
  const check = (...args: string[]) => meridian("policy", "check", "--home-kubeconfig", fleet.home.info.kubeconfig, ...args);

  beforeAll(async () => {
    fleet = await setUpFleet("pol");
    // Exit codes count every policy in the home cluster: start from none.
    await deleteHomeObjects(fleet.home);
    const [a, , b] = fleet.members as [Member, Member, Member];
    [payments, checkout] = [`payments-${fleet.id}`, `checkout-${fleet.id}`];
    await applyWorkload(a.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 1 });
    await applyWorkload(b.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 1 });
    await applyWorkload(a.plane, { namespace: fleet.namespace, name: "checkout", identity: checkout, ready: 1 });
    await apply(fleet.home.objects, policy("payments", { identity: payments, mode: "Failover", regions: ["us-east", "ap-south"] }));
    await apply(fleet.home.objects, policy("checkout", { identity: checkout, mode: "Weighted", weights: [{ region: "us-east", weight: 50 }, { region: "eu-west", weight: 50 }] }));
  });

  afterAll(async () => {
    for (const name of ["payments", "checkout"]) await statusOf(fleet.home.objects.delete(policy(name, {})));
    await fleet.cleanUp();
  });

  test("reports each policy that cannot work as written, and exits 6", async () => {
    const run = await check("-o", "json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(6);
    const findings = JSON.parse(run.stdout) as { policy: string; code: string; message: string }[];
    expect(findings.map((f) => [f.policy.split("/")[1], f.code])).toEqual([
      ["checkout", "SingleRegion"],
      ["checkout", "WeightedRegionWithoutEndpoints"],
      ["payments", "UnknownRegion"],
    ]);
    expect(findings.find((f) => f.code === "UnknownRegion")?.message).toContain("region ap-south");
    expect(findings.find((f) => f.code === "WeightedRegionWithoutEndpoints")?.message).toContain("region eu-west");
    const table = await check();
    expect(table.stdout).toMatch(/^POLICY\s+IDENTITY\s+SEVERITY\s+CODE\s+MESSAGE/);
    expect(table.stdout).toContain("SingleRegion");
  });

  test("fixed policies pass: exit 0", async () => {
    await apply(fleet.home.objects, policy("payments", { identity: payments, mode: "Failover", regions: ["us-east", "eu-west"] }));
    await statusOf(fleet.home.objects.delete(policy("checkout", {})));
    const run = await check();
    expect(run.stdout).toBe("No problems found in 1 TrafficPolicy.\n");
    expect(run.code).toBe(0);
  });
});
