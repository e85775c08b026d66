// `meridian drill plan` and `meridian policy check` only read: every API server's write counters
// (`apiserver_request_total`) are the same before and after them, and they derive identities with
// the controller's settings (here a non-default identity label, given as the controller's
// MERIDIAN_IDENTITY_LABEL), not with the defaults.
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { apiServerWrites, writesBetween } from "./support/apiserver-metrics.js";
import { apply, setUpFleet, type Member, type TestFleet } from "./support/controller-fleet.js";
import { deleteHomeObjects } from "./support/federation-members.js";
import { applyWorkload } from "./support/federation-workloads.js";
import { meridianWithEnv } from "./support/meridian-cli.js";

const LABEL = "team.example.com/id";
const SETTINGS = { MERIDIAN_IDENTITY_LABEL: LABEL };

describe("read-only commands", () => {
  let fleet: TestFleet;
  let a: Member, b: Member, west: Member;
  let ledger = "";
  const run = (...argv: string[]) => meridianWithEnv(SETTINGS, ...argv, "--home-kubeconfig", fleet.home.info.kubeconfig);

  beforeAll(async () => {
    fleet = await setUpFleet("rdo");
    await deleteHomeObjects(fleet.home);
    [a, b, west] = fleet.members as [Member, Member, Member];
    ledger = `ledger-${fleet.id}`;
    const till = `till-${fleet.id}`;
    const workload = { namespace: fleet.namespace, ready: 1, identityLabel: LABEL };
    await applyWorkload(a.plane, { ...workload, name: "ledger", identity: ledger });
    await applyWorkload(west.plane, { ...workload, name: "ledger", identity: ledger });
    await applyWorkload(b.plane, { ...workload, name: "till", identity: till });
    await apply(fleet.home.objects, fleet.dependency("till", till, [ledger]));
    // The fleet's own in-test registry probes and writes statuses: stopped, so that only the commands count.
    fleet.federation.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }, 120_000);

  afterAll(() => fleet.cleanUp());

  test("drill plan and policy check make no write request to any cluster", async () => {
    const planes = [fleet.home, ...fleet.members.map((m) => m.plane)];
    const before = await Promise.all(planes.map((plane) => apiServerWrites(plane)));
    const plan = await run("drill", "plan", "--region", west.region, "-o", "json");
    const check = await run("policy", "check");
    const after = await Promise.all(planes.map((plane) => apiServerWrites(plane)));
    expect([plan.stderr, check.stderr]).toEqual(["", ""]);
    const writes = Object.fromEntries(planes.map((plane, i) => [plane.info.name, writesBetween(before[i] ?? new Map(), after[i] ?? new Map())]));
    expect(writes).toEqual(Object.fromEntries(planes.map((plane) => [plane.info.name, {}])));
  }, 120_000);

  test("drill plan derives identities with the controller's identity label", async () => {
    const plan = await run("drill", "plan", "--region", west.region, "--identities", ledger, "-o", "json");
    const output = JSON.parse(plan.stdout || "{}") as { verdict?: string; reasons?: string[]; affectedIdentities?: string[]; affectedClusters?: string[] };
    expect(plan.stderr).toBe("");
    expect(output.reasons).toEqual([]);
    expect(output.verdict).toBe("Ready");
    expect(output.affectedIdentities).toEqual([ledger]);
    expect(output.affectedClusters).toContain(b.cluster);
    expect(plan.code).toBe(0);
  }, 120_000);

  test("drill plan names an identity that runs nowhere, and refuses (exit 6)", async () => {
    const plan = await run("drill", "plan", "--region", west.region, "--identities", "nosuch");
    expect(plan.code).toBe(6);
    expect(plan.stdout).toContain("Preflight: Refused");
    expect(plan.stdout).toContain("identity nosuch runs in no registered cluster");
    expect(plan.stdout).not.toContain("FailoverDrill (plan)");
  }, 120_000);
});
