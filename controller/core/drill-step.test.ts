import { describe, expect, test } from "vitest";

import type { FailoverDrill, FailoverDrillStatus } from "../../crds/index.js";
import type { DrillPlan } from "./drill-plan.js";
import { DRILL_ABORT_ANNOTATION, readDrillReport } from "./drill-report.js";
import { fitDrillText, MAX_DRILL_MESSAGE, stepDrill } from "./drill-step.js";
import type { DrillObservations } from "./drill-step.js";
import type { ClusterCheck } from "./drill-verify.js";

const T0 = Date.parse("2026-11-22T10:00:00Z");
const at = (ms: number): Date => new Date(T0 + ms);

function drill(status?: FailoverDrillStatus, spec: Partial<FailoverDrill["spec"]> = {}, annotations?: Record<string, string>): FailoverDrill {
  return {
    apiVersion: "meridian.dev/v1alpha1",
    kind: "FailoverDrill",
    metadata: { name: "d", namespace: "ns", generation: 1, ...(annotations === undefined ? {} : { annotations }) },
    spec: { target: { region: "eu-west" }, duration: "10s", planOnly: false, force: false, ...spec },
    ...(status === undefined ? {} : { status }),
  };
}

const READY: DrillPlan = {
  verdict: "Ready",
  reasons: [],
  affectedIdentities: ["payments"],
  affectedClusters: ["a", "c"],
  routes: [
    { cluster: "a", identity: "payments", host: "payments.global", name: "payments", now: ["1 us", "3 eu"], during: ["1 us"] },
    { cluster: "c", identity: "payments", host: "payments.global", name: "payments", now: ["1 us", "3 eu"], during: ["1 us"] },
  ],
};
const REFUSED: DrillPlan = { ...READY, verdict: "Refused", reasons: ["would leave identity inventory (env default) with no endpoints"] };
const ok = (cluster: string): ClusterCheck => ({ cluster, hosts: 1, mismatched: [] });
const behind = (cluster: string): ClusterCheck => ({ cluster, hosts: 1, mismatched: ["payments.global"] });

/** Runs steps with the same observations until the drill waits; returns every status written. */
function run(start: FailoverDrill, obs: DrillObservations): FailoverDrillStatus[] {
  const written: FailoverDrillStatus[] = [];
  let current = start;
  for (let step = stepDrill(current, obs); step !== undefined; step = stepDrill(current, obs)) {
    written.push(step.status);
    current = { ...current, status: step.status };
    if (written.length > 20) throw new Error("no fixed point");
  }
  return written;
}
const last = (statuses: FailoverDrillStatus[]): FailoverDrillStatus => statuses[statuses.length - 1] as FailoverDrillStatus;
const phases = (status: FailoverDrillStatus): string[] => (status.timeline ?? []).map((e) => `${e.phase}: ${e.message}`);

describe("stepDrill", () => {
  test("a new drill waits in Pending until the fleet is ready, then goes through preflight to Evacuating", () => {
    const pending = run(drill(), { now: at(0), fleetReady: false });
    expect(pending.map((s) => s.phase)).toEqual(["Pending"]);
    const status = last(run(drill(last(pending)), { now: at(100), fleetReady: true, plan: READY }));
    expect(status.phase).toBe("Evacuating");
    expect(status.startedAt).toBe(at(100).toISOString());
    expect(status.forced).toBeUndefined();
    expect(phases(status)).toEqual([
      "Pending: Accepted: evacuate region eu-west for 10s (every identity)",
      "Preflight: Preflight Ready: affects 1 identities in 2 clusters (2 hosts)",
      "Evacuating: Evacuating region eu-west from 2 hosts in 2 clusters",
    ]);
    expect(readDrillReport(status.report)?.evacuation).toEqual({ startedAt: at(100).toISOString(), clusters: [{ cluster: "a", hosts: 0, verified: false }, { cluster: "c", hosts: 0, verified: false }] });
  });

  test("a refused drill stops at Refused with the reasons, unless forced; forced, the status says so", () => {
    const refused = last(run(drill(), { now: at(0), fleetReady: true, plan: REFUSED }));
    expect(refused.phase).toBe("Refused");
    expect(refused.reason).toBe(REFUSED.reasons[0]);
    const forced = last(run(drill(undefined, { force: true }), { now: at(0), fleetReady: true, plan: REFUSED }));
    expect(forced.phase).toBe("Evacuating");
    expect(forced.forced).toBe(true);
    expect(forced.timeline?.at(-1)?.message).toContain("forced past preflight: would leave identity inventory");
  });

  test("a duration out of bounds is refused even when forced; a plan-only drill completes without evacuating", () => {
    expect(last(run(drill(undefined, { duration: "25h", force: true }), { now: at(0), fleetReady: true, plan: READY })).reason).toBe("spec.duration 25h is outside 1s..24h");
    const planOnly = run(drill(undefined, { planOnly: true }), { now: at(0), fleetReady: true, plan: READY });
    expect(planOnly.map((s) => s.phase)).toEqual(["Pending", "Preflight", "Completed"]);
  });

  test("Evacuating records each cluster when it is verified, and holds once all are, until the duration ends", () => {
    const evacuating = last(run(drill(), { now: at(0), fleetReady: true, plan: READY }));
    const partly = run(drill(evacuating), { now: at(300), fleetReady: true, checks: [ok("a"), behind("c")] });
    expect(partly).toHaveLength(1);
    expect(last(partly).phase).toBe("Evacuating");
    expect(readDrillReport(last(partly).report)?.evacuation?.clusters).toEqual([
      { cluster: "a", hosts: 1, verified: true, verifiedAt: at(300).toISOString() },
      { cluster: "c", hosts: 1, verified: false, mismatched: ["payments.global"] },
    ]);
    // Nothing new (c still behind, or not read at all while its writes go on): no write.
    expect(run(drill(last(partly)), { now: at(400), fleetReady: true, checks: [ok("a"), behind("c")] })).toEqual([]);
    expect(run(drill(last(partly)), { now: at(400), fleetReady: true, checks: [] })).toEqual([]);
    const holding = last(run(drill(last(partly)), { now: at(500), fleetReady: true, checks: [ok("a"), ok("c")] }));
    expect(holding.phase).toBe("Holding");
    expect(holding.endsAt).toBe(at(10_500).toISOString());
    const evacuation = readDrillReport(holding.report)?.evacuation;
    expect(evacuation?.durationMs).toBe(500);
    expect(evacuation?.clusters.map((c) => c.verifiedAt)).toEqual([at(300).toISOString(), at(500).toISOString()]);
    expect(run(drill(holding), { now: at(10_499), fleetReady: true })).toEqual([]);
    const restoring = last(run(drill(holding), { now: at(10_500), fleetReady: true }));
    expect(restoring.phase).toBe("Restoring");
    expect(readDrillReport(restoring.report)?.ending).toBe("Completed");
    const done = last(run(drill(restoring), { now: at(10_900), fleetReady: true, checks: [ok("a"), ok("c")] }));
    expect(done.phase).toBe("Completed");
    expect(readDrillReport(done.report)?.restoration?.durationMs).toBe(400);
    expect((done.timeline ?? []).filter((e) => !e.message.startsWith("Cluster ")).map((e) => e.phase)).toEqual(["Pending", "Preflight", "Evacuating", "Holding", "Restoring", "Completed"]);
  });

  test("an abort in Holding restores and ends Aborted; before evacuation it ends at once", () => {
    const holding = last(run(drill(), { now: at(0), fleetReady: true, plan: READY, checks: [ok("a"), ok("c")] }));
    expect(holding.phase).toBe("Holding");
    const aborted = drill(holding, {}, { [DRILL_ABORT_ANNOTATION]: "now" });
    const restoring = last(run(aborted, { now: at(1_000), fleetReady: true }));
    expect(restoring.phase).toBe("Restoring");
    expect(last(run({ ...aborted, status: restoring }, { now: at(1_200), fleetReady: true, checks: [ok("a"), ok("c")] })).phase).toBe("Aborted");
    const early = run(drill(undefined, {}, { [DRILL_ABORT_ANNOTATION]: "now" }), { now: at(0), fleetReady: false });
    expect(early.map((s) => s.phase)).toEqual(["Pending", "Aborted"]);
  });

  test("verification that does not finish in time fails the drill: it restores, then ends Failed with the clusters named", () => {
    const evacuating = last(run(drill(), { now: at(0), fleetReady: true, plan: READY }));
    const obs = { fleetReady: true, verifyTimeoutMs: 5_000, checks: [ok("a"), { cluster: "c", hosts: 0, mismatched: [], error: "unreadable: connection refused" }] };
    const restoring = last(run(drill(evacuating), { ...obs, now: at(5_000) }));
    expect(restoring.phase).toBe("Restoring");
    expect(readDrillReport(restoring.report)?.endReason).toBe("Evacuation not verified within 5s: c (unreadable: connection refused)");
    const failed = last(run(drill(restoring), { now: at(5_100), fleetReady: true, checks: [ok("a"), ok("c")] }));
    expect(failed.phase).toBe("Failed");
    expect(failed.reason).toBe("Evacuation not verified within 5s: c (unreadable: connection refused)");
  });

  test("a finished drill is left alone", () => {
    for (const phase of ["Completed", "Aborted", "Failed", "Refused"] as const) expect(stepDrill(drill({ phase }), { now: at(0), fleetReady: true, plan: READY })).toBeUndefined();
  });
});

describe("messages that fit the CRD (timeline message and reason at most 4096 characters)", () => {
  test("a drill of the CRD's maximum of 1024 identities is accepted with the first ten named and the rest counted", () => {
    const identities = Array.from({ length: 1024 }, (_, i) => `identity-with-a-long-name-${i}`);
    const step = stepDrill(drill(undefined, { identities }), { now: at(0), fleetReady: true });
    const message = step?.status.timeline?.[0]?.message ?? "";
    expect(message).toBe(`Accepted: evacuate region eu-west for 10s (identities ${identities.slice(0, 10).join(", ")} and 1014 more)`);
    expect(step?.event?.message).toBe(message);
  });

  test("a refusal whose reasons are longer than the CRD allows is cut to 4096 characters, ending with …, in the timeline and the reason", () => {
    const reasons = Array.from({ length: 300 }, (_, i) => `would leave identity inventory-${i} (env default) with no endpoints`);
    const statuses = run(drill(), { now: at(0), fleetReady: true, plan: { ...REFUSED, reasons } });
    const status = statuses.at(-1) as FailoverDrillStatus;
    const last = status.timeline?.at(-1)?.message ?? "";
    expect(status.phase).toBe("Refused");
    expect([...last]).toHaveLength(MAX_DRILL_MESSAGE);
    expect(last.endsWith("…")).toBe(true);
    expect([...(status.reason ?? "")].length).toBeLessThanOrEqual(MAX_DRILL_MESSAGE);
  });

  test("fitDrillText counts characters, not UTF-16 units, and leaves short text alone", () => {
    expect(fitDrillText("short")).toBe("short");
    expect(fitDrillText("😀".repeat(5), 3)).toBe("😀😀…");
  });
});
