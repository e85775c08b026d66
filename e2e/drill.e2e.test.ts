// Failover drills run by `meridian controller` on three real control planes in two regions and a
// real Redis: a drill evacuates, holds and restores, and its report matches what the clusters show;
// preflight refuses a black-hole unless forced; abort during Holding restores; a controller killed
// during Evacuating and started again finishes the drill, once.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import type { FailoverDrillStatus } from "../crds/index.js";
import type { DrillReport } from "../controller/core/drill-report.js";

import { apply, setUpFleet, SYNC, type Member, type TestFleet } from "./support/controller-fleet.js";
import { metricSum, printControllerLog, startControllerProcess, type ControllerProcess } from "./support/controller-process.js";
import { Drills, endpointsIn, phasesOf } from "./support/drills.js";
import { deleteHomeObjects } from "./support/federation-members.js";
import { printFederationLog } from "./support/federation-runtime.js";
import { applyWorkload } from "./support/federation-workloads.js";
import { meridian } from "./support/meridian-cli.js";

const ARGS = ["--lease-duration", "4s"];
const FULL_RUN = ["Pending", "Preflight", "Evacuating", "Holding", "Restoring", "Completed"];

const regionOf = (endpoint: string): string => (endpoint.split(" ")[1] ?? "").split("/")[0] ?? "";

/** Each cluster's verification time lies inside its phase, as the timeline records it; the drill held for its 3 s. */
function expectVerifiedWithinPhases(status: FailoverDrillStatus | undefined, report: DrillReport): void {
  const at = (phase: string): number => Date.parse(status?.timeline?.find((e) => e.phase === phase && !e.message.startsWith("Cluster "))?.time ?? "");
  const times = (report.evacuation?.clusters ?? []).map((v) => Date.parse(v.verifiedAt ?? ""));
  expect(Math.min(...times)).toBeGreaterThanOrEqual(at("Evacuating"));
  expect(Math.max(...times)).toBeLessThanOrEqual(at("Holding"));
  const restored = (report.restoration?.clusters ?? []).map((v) => Date.parse(v.verifiedAt ?? ""));
  expect(Math.min(...restored)).toBeGreaterThanOrEqual(at("Restoring"));
  expect(Math.max(...restored)).toBeLessThanOrEqual(at("Completed"));
  expect(at("Restoring") - at("Holding")).toBeGreaterThanOrEqual(3_000);
}

describe("failover drills run by the controller", () => {
  let fleet: TestFleet;
  let drills: Drills;
  let a: Member, b: Member, c: Member;
  let controller: ControllerProcess | undefined;
  let payments = "", orders = "", inventory = "";
  /** `meridian drill …` against the home cluster, in the test namespace. */
  const drillCli = (...argv: string[]) => meridian("drill", ...argv, "--home-kubeconfig", fleet.home.info.kubeconfig, "--namespace", fleet.namespace);
  const start = (): ControllerProcess => (controller = startControllerProcess({ homeKubeconfig: fleet.home.info.kubeconfig, redisUrl: fleet.redisUrl, args: ARGS }));
  /** The regions of the identity's endpoints in one member's ServiceEntries (one per endpoint, sorted). */
  const regions = async (member: Member, identity: string): Promise<string[]> => Object.values(await endpointsIn(member.plane, SYNC, identity)).flat().map(regionOf).sort();

  beforeAll(async () => {
    fleet = await setUpFleet("dr");
    await deleteHomeObjects(fleet.home);
    [a, b, c] = fleet.members as [Member, Member, Member];
    drills = new Drills(fleet.home, fleet.namespace);
    [payments, orders, inventory] = [`payments-${fleet.id}`, `orders-${fleet.id}`, `inventory-${fleet.id}`];
    const [web, checkout] = [`web-${fleet.id}`, `checkout-${fleet.id}`];
    for (const identity of [payments, orders, inventory, web, checkout]) fleet.identities.add(identity);
    // Every identity runs in both regions but inventory, which runs only in us-east (cluster b).
    const placed: [Member, string, string][] = [[a, "payments", payments], [c, "payments", payments], [b, "orders", orders], [c, "orders", orders], [b, "inventory", inventory], [a, "web", web], [c, "web", web], [b, "checkout", checkout], [c, "checkout", checkout]];
    for (const [member, name, identity] of placed) await applyWorkload(member.plane, { namespace: fleet.namespace, name, identity, ready: 1 });
    await apply(fleet.home.objects, fleet.dependency("web", web, [payments, orders]));
    await apply(fleet.home.objects, fleet.dependency("checkout", checkout, [payments, orders, inventory]));
    start();
    await fleet.converged("the plan before any drill", 120_000);
  });

  afterAll(async () => {
    await controller?.stop();
    await deleteHomeObjects(fleet.home);
    await fleet.cleanUp();
  });

  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      printControllerLog(controller, 120);
      printFederationLog(fleet.federation, 30);
    }),
  );

  test("a drill on one region evacuates every affected host in every affected cluster, holds, restores, and its report matches the clusters", async () => {
    const everywhere = async (): Promise<string[][]> => Promise.all(fleet.members.flatMap((m) => [payments, orders].map((identity) => regions(m, identity))));
    const before = await everywhere();
    expect(before.flat()).toContain(c.region);
    await drills.create("evacuate-west", { target: { region: c.region }, duration: "3s" });
    const holding = await drills.waitFor("evacuate-west", ["Holding", "Failed", "Refused"]);
    expect(holding.status?.phase, holding.status?.reason).toBe("Holding");
    // What the clusters show while holding: every host keeps endpoints, none in the evacuated region.
    const during = await everywhere();
    expect(during.flat()).not.toContain(c.region);
    expect(during.every((endpoints) => endpoints.length > 0)).toBe(true);
    await fleet.converged("the plan with the drill in effect");
    const done = await drills.waitFor("evacuate-west", ["Completed", "Failed", "Aborted"], 30_000);
    expect(phasesOf(done.status)).toEqual(FULL_RUN);
    expect(await everywhere()).toEqual(before);
    await fleet.converged("the plan after the drill");

    const report = await drills.report("evacuate-west");
    expect(report.affectedIdentities).toEqual(expect.arrayContaining([orders, payments]));
    expect(report.affectedIdentities).not.toContain(inventory);
    const members = fleet.members.map((m) => m.cluster).sort();
    expect(report.affectedClusters).toEqual(members);
    for (const verification of [report.evacuation, report.restoration]) {
      expect(verification?.clusters.map((v) => [v.cluster, v.verified])).toEqual(members.map((m) => [m, true]));
      expect(verification?.durationMs).toBeGreaterThanOrEqual(0);
    }
    expectVerifiedWithinPhases(done.status, report);
    const printed = await drillCli("report", "evacuate-west");
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain("Phase:      Completed");
    for (const member of members) expect(printed.stdout).toMatch(new RegExp(`^${member}\\s+\\d+\\s+yes\\s+\\+\\d+\\.\\ds`, "m"));
    expect(printed.stdout.match(/verified in \d+\.\ds/g)).toHaveLength(2);
    const status = await drillCli("status", "evacuate-west");
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("Drill evacuate-west Completed");

    const events = await fleet.home.core.listNamespacedEvent({ namespace: fleet.namespace });
    const reasons = events.items.filter((e) => e.involvedObject.name === "evacuate-west").map((e) => e.reason);
    expect(new Set(reasons)).toEqual(new Set(FULL_RUN.map((phase) => `Drill${phase}`)));
    const port = await (controller as ControllerProcess).port();
    expect(await metricSum(port, "meridian_drill_phase", 'name="evacuate-west",phase="Completed"')).toBe(1);
    expect(await metricSum(port, "meridian_drill_phase", 'name="evacuate-west"')).toBe(1);
  });

  test("preflight refuses a drill that would black-hole an identity, naming it", async () => {
    const run = await drillCli("start", "--region", a.region, "--duration", "1s", "--name", "evacuate-east", "--wait");
    expect(run.code, run.stderr).toBe(6);
    expect(run.stdout).toContain(`identity ${inventory} (env default) with no endpoints`);
    expect(run.stdout).toContain("Drill evacuate-east Refused");
    const refused = await drills.read("evacuate-east");
    expect(refused.status?.phase).toBe("Refused");
    expect(refused.status?.reason).toContain(`identity ${inventory} (env default) with no endpoints`);
    expect(await regions(c, payments)).toContain(a.region);
  });

  test("forced, the refused drill runs, keeps the black-holed identity's endpoints, and the report says so", async () => {
    const started = await drillCli("start", "--region", a.region, "--duration", "2s", "--name", "evacuate-east-forced", "--force");
    expect(started.code, started.stderr).toBe(0);
    expect((await drillCli("start", "--region", a.region, "--name", "evacuate-east-forced")).code).toBe(5);
    const holding = await drills.waitFor("evacuate-east-forced", ["Holding", "Completed", "Failed", "Refused"]);
    expect(holding.status?.phase).toBe("Holding");
    expect(holding.status?.forced).toBe(true);
    // Evacuated where another region serves; the black-holed identity keeps its only endpoints.
    expect(await regions(a, payments)).toEqual([c.region]);
    expect(await regions(c, inventory)).toEqual([b.region]);
    const done = await drills.waitFor("evacuate-east-forced", ["Completed", "Failed", "Aborted"], 30_000);
    expect(done.status?.phase).toBe("Completed");
    const report = await drills.report("evacuate-east-forced");
    expect(report.preflight?.verdict).toBe("Refused");
    expect(report.preflight?.reasons.join("\n")).toContain(inventory);
    expect(done.status?.timeline?.find((e) => e.phase === "Evacuating")?.message).toContain("forced past preflight");
    const json = await drillCli("report", "evacuate-east-forced", "-o", "json");
    expect(JSON.parse(json.stdout)).toMatchObject({ name: "evacuate-east-forced", phase: "Completed", forced: true, report: { preflight: { verdict: "Refused" } } });
    await fleet.converged("the plan after the forced drill");
  });

  test("abort during Holding restores the routes and the drill ends Aborted", async () => {
    await drills.create("abort-west", { target: { region: c.region }, identities: [payments], duration: "10m" });
    await drills.waitFor("abort-west", ["Holding"]);
    expect(await regions(a, payments)).toEqual([a.region]);
    const abort = await drillCli("abort", "abort-west");
    expect(abort.code, abort.stderr).toBe(0);
    const done = await drills.waitFor("abort-west", ["Aborted", "Completed", "Failed"], 30_000);
    expect(done.status?.phase).toBe("Aborted");
    expect(phasesOf(done.status)).toEqual(["Pending", "Preflight", "Evacuating", "Holding", "Restoring", "Aborted"]);
    expect(await regions(a, payments)).toEqual([a.region, c.region].sort());
    expect((await drills.report("abort-west")).restoration?.clusters.every((v) => v.verified)).toBe(true);
    const again = await drillCli("abort", "abort-west");
    expect(again.code).toBe(5);
    expect(again.stderr).toContain("already ended Aborted");
  });

  test("a controller killed during Evacuating and started again finishes the drill, once", async () => {
    await (controller as ControllerProcess).stop();
    // The status a controller leaves when it dies right after entering Evacuating.
    await drills.create("restart-west", { target: { region: c.region }, identities: [orders], duration: "2s" });
    const t = (offset: number): string => new Date(Date.now() + offset).toISOString();
    await drills.writeStatus("restart-west", {
      phase: "Evacuating",
      startedAt: t(0),
      timeline: [
        { time: t(-20), phase: "Pending", message: "Accepted" },
        { time: t(-10), phase: "Preflight", message: "Preflight Ready" },
        { time: t(0), phase: "Evacuating", message: "Evacuating" },
      ],
      report: { target: `region ${c.region}`, preflight: { verdict: "Ready", reasons: [], checkedAt: t(-10) }, affectedIdentities: [orders], affectedClusters: fleet.members.map((m) => m.cluster).sort(), hosts: 3, evacuation: { startedAt: t(0), clusters: [] } },
    });
    start();
    const done = await drills.waitFor("restart-west", ["Completed", "Failed", "Aborted"], 60_000);
    expect(phasesOf(done.status)).toEqual(FULL_RUN);
    expect((await drills.report("restart-west")).evacuation?.clusters.every((v) => v.verified)).toBe(true);

    // And a real SIGKILL as soon as a drill is seen evacuating.
    await drills.create("kill-west", { target: { region: c.region }, identities: [payments], duration: "2s" });
    const seen = await drills.waitFor("kill-west", ["Evacuating", "Holding", "Restoring", "Completed"], 30_000, 5);
    await (controller as ControllerProcess).kill();
    start();
    const finished = await drills.waitFor("kill-west", ["Completed", "Failed", "Aborted"], 60_000);
    expect(phasesOf(finished.status), `killed in ${seen.status?.phase}`).toEqual(FULL_RUN);
    expect(await regions(a, payments)).toEqual([a.region, c.region].sort());
    await fleet.converged("the plan after the restarted drills");
  });
});
