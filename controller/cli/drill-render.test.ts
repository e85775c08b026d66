// The drill report and status as people and scripts read them.
import { describe, expect, it } from "vitest";

import { parseFailoverDrill } from "../../crds/index.js";
import type { FailoverDrill } from "../../crds/index.js";
import { drillData, renderDrillPlan, renderDrillReport, renderDrillSummary, renderTimeline } from "./drill-render.js";

const T0 = "2026-12-04T10:00:00.000Z";
const at = (ms: number): string => new Date(Date.parse(T0) + ms).toISOString();

function drill(status: Record<string, unknown> | undefined, spec: Record<string, unknown> = {}): FailoverDrill {
  const parsed = parseFailoverDrill({
    apiVersion: "meridian.dev/v1alpha1",
    kind: "FailoverDrill",
    metadata: { name: "evacuate-eu", namespace: "meridian-system" },
    spec: { target: { region: "eu-west-1" }, duration: "30s", ...spec },
    ...(status === undefined ? {} : { status }),
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

const completed = drill({
  phase: "Completed",
  forced: true,
  startedAt: at(200),
  timeline: [
    { time: at(0), phase: "Preflight", message: "Preflight Refused: payments would have no endpoints" },
    { time: at(200), phase: "Evacuating", message: "Evacuating region eu-west-1 from 4 hosts in 2 clusters (forced past preflight: …)" },
    { time: at(1_700), phase: "Holding", message: "Cluster c1 verified: 2 hosts as planned" },
    { time: at(95_000), phase: "Completed", message: "Restored and verified" },
  ],
  report: {
    target: "region eu-west-1",
    preflight: { verdict: "Refused", reasons: ["payments would have no endpoints"], checkedAt: at(0) },
    affectedIdentities: ["orders", "payments"],
    affectedClusters: ["c1", "c2"],
    hosts: 4,
    ending: "Completed",
    evacuation: {
      startedAt: at(200),
      verifiedAt: at(1_700),
      durationMs: 1_500,
      clusters: [
        { cluster: "c1", hosts: 2, verified: true, verifiedAt: at(1_200) },
        { cluster: "c2", hosts: 2, verified: true, verifiedAt: at(1_700) },
      ],
    },
    restoration: { startedAt: at(90_000), clusters: [{ cluster: "c1", hosts: 2, verified: false, mismatched: ["orders.global"], error: "connection refused" }] },
  },
});

describe("drill report", () => {
  it("prints the timeline with offsets from its first entry", () => {
    const text = renderTimeline(completed.status?.timeline ?? [], T0);
    expect(text.split("\n")[0]).toMatch(/^\s+\+0\.0s {2}Preflight {3}Preflight Refused/);
    expect(text).toContain("+1.7s  Holding");
    expect(text).toContain("+1m35s  Completed");
  });

  it("says the drill was forced, who was affected, and each cluster's verification", () => {
    const text = renderDrillReport(completed, new Date(at(100_000)));
    expect(text).toContain("Forced:     yes");
    expect(text).toContain("Preflight: Refused");
    expect(text).toContain("  - payments would have no endpoints");
    expect(text).toContain("Affected: 2 identities (orders, payments), 2 clusters (c1, c2), 4 hosts");
    expect(text).toMatch(/Evacuation \(started .*, verified in 1\.5s\)/);
    expect(text).toMatch(/c2\s+2\s+yes\s+\+1\.5s\s+-/);
    expect(text).toContain("Restoration (started");
    expect(text).toContain("not verified yet");
    expect(text).toMatch(/c1\s+2\s+no\s+-\s+connection refused; not as planned: orders\.global/);
  });

  it("shows the time left while holding, and a drill not picked up yet", () => {
    const holding = drill({ phase: "Holding", endsAt: at(30_000) });
    expect(renderDrillSummary(holding, new Date(at(5_000)))).toContain("Phase:      Holding (restores in 25s)");
    const fresh = renderDrillReport(drill(undefined, { target: { cluster: "c9" }, identities: ["a"], planOnly: true }), new Date(T0));
    expect(fresh).toContain("Target:     cluster c9 (identities a)");
    expect(fresh).toContain("Duration:   30s (plan only)");
    expect(fresh).toContain("Phase:      Pending");
    expect(fresh).toContain("(none yet)");
  });

  it("gives scripts one flat object", () => {
    const data = drillData(completed);
    expect(data).toMatchObject({ name: "evacuate-eu", namespace: "meridian-system", phase: "Completed", target: "region eu-west-1", identities: "all", duration: "30s", forced: true, endsAt: null });
    expect((data.report as { evacuation: { durationMs: number } }).evacuation.durationMs).toBe(1_500);
    expect(drillData(drill(undefined))).toMatchObject({ phase: "Pending", forced: false, timeline: [], report: null });
  });
});

describe("drill plan", () => {
  const route = { cluster: "east-b", identity: "payments", host: "default.payments.global", name: "default.payments.global", now: ["192.0.2.1 us-east/a", "192.0.2.3 eu-west/a"], during: ["192.0.2.1 us-east/a"] };

  it("counts one identity and one cluster in the singular", () => {
    const text = renderDrillPlan({ verdict: "Ready", reasons: [], affectedIdentities: ["payments"], affectedClusters: ["east-b"], routes: [route] }, 15 * 60_000);
    expect(text).toContain("Affects 1 identity (payments) in 1 cluster (east-b).");
    expect(text).toMatch(/^Preflight: Ready \(the routes below would hold for 15m, then come back\)$/m);
  });

  it("lists each reason of a refusal and counts in the plural", () => {
    const text = renderDrillPlan({ verdict: "Refused", reasons: ["identity nosuch runs in no registered cluster"], affectedIdentities: [], affectedClusters: [], routes: [] }, 60_000);
    expect(text).toBe("Preflight: Refused\n  - identity nosuch runs in no registered cluster\nAffects 0 identities (none) in 0 clusters (none).\n");
  });
});
