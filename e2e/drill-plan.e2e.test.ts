// `meridian drill plan` against real clusters: per identity and cluster, the endpoints now and
// during the drill, and a preflight that refuses to black-hole an identity (exit 6), naming it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { apply, setUpFleet, type Member, type TestFleet } from "./support/controller-fleet.js";
import { deleteHomeObjects } from "./support/federation-members.js";
import { applyWorkload } from "./support/federation-workloads.js";
import { meridian } from "./support/meridian-cli.js";

interface PlanOutput {
  verdict: string;
  reasons: string[];
  affectedIdentities: string[];
  affectedClusters: string[];
  routes: { cluster: string; identity: string; now: string[]; during: string[] }[];
}

describe("meridian drill plan", () => {
  let fleet: TestFleet;
  let a: Member, c: Member, b: Member;
  let payments = "", inventory = "";
  const plan = async (...args: string[]): Promise<{ code: number; output: PlanOutput; stderr: string }> => {
    const run = await meridian("drill", "plan", "--home-kubeconfig", fleet.home.info.kubeconfig, "-o", "json", ...args);
    return { code: run.code, output: JSON.parse(run.stdout || "{}") as PlanOutput, stderr: run.stderr };
  };

  beforeAll(async () => {
    fleet = await setUpFleet("drl");
    await deleteHomeObjects(fleet.home);
    [a, c, b] = fleet.members as [Member, Member, Member];
    [payments, inventory] = [`payments-${fleet.id}`, `inventory-${fleet.id}`];
    const checkout = `checkout-${fleet.id}`;
    await applyWorkload(a.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 1 });
    await applyWorkload(b.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 1 });
    await applyWorkload(b.plane, { namespace: fleet.namespace, name: "inventory", identity: inventory, ready: 1 });
    await applyWorkload(c.plane, { namespace: fleet.namespace, name: "checkout", identity: checkout, ready: 1 });
    await apply(fleet.home.objects, fleet.dependency("checkout", checkout, [payments, inventory]));
  });

  afterAll(() => fleet.cleanUp());

  test("refuses to evacuate the only region of an identity, naming it", async () => {
    const run = await plan("--region", b.region);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(6);
    expect(run.output.verdict).toBe("Refused");
    expect(run.output.reasons.join("\n")).toContain(`identity ${inventory} (env default) with no endpoints`);
  });

  test("shows the endpoints each affected cluster loses, and is ready", async () => {
    const run = await plan("--region", b.region, "--identities", payments);
    expect(run.code).toBe(0);
    expect(run.output.verdict).toBe("Ready");
    expect(run.output.affectedIdentities).toEqual([payments]);
    const inCaller = run.output.routes.find((route) => route.cluster === c.cluster);
    expect(inCaller?.now.map((e) => e.split(" ")[0]).sort()).toEqual([a.gateway, b.gateway].sort());
    expect(inCaller?.during.map((e) => e.split(" ")[0])).toEqual([a.gateway]);
    const table = await meridian("drill", "plan", "--home-kubeconfig", fleet.home.info.kubeconfig, "--region", b.region, "--identities", payments);
    expect(table.stdout).toMatch(/^Preflight: Ready \(the routes below would hold for 15m, then come back\)$/m);
    expect(table.stdout).toMatch(/^CLUSTER\s+IDENTITY\s+HOST\s+ENDPOINTS NOW\s+DURING THE DRILL$/m);
  });

  test("refuses an unknown region", async () => {
    const run = await plan("--region", "nowhere-1");
    expect(run.code).toBe(6);
    expect(run.output.reasons.join("\n")).toContain("region nowhere-1");
  });
});
