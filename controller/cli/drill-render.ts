// How `meridian drill status` and `meridian drill report` print a FailoverDrill: a summary, the
// timeline with offsets from its first entry, the preflight verdict, and per-cluster verification
// of evacuation and restoration; the one JSON/YAML shape scripts read; and `drill plan`'s table. Pure.
import { formatDuration } from "../../crds/index.js";
import type { FailoverDrill, TimelineEntry } from "../../crds/index.js";
import type { DrillPlan } from "../core/drill-plan.js";
import { readDrillReport } from "../core/drill-report.js";
import { TERMINAL_DRILL_PHASES } from "../core/drill-step.js";
import type { DrillReport, Verification } from "../core/drill-report.js";
import { counted, humanDuration, renderTable } from "./output.js";

/** Phases a drill never leaves. */
export const FINAL_DRILL_PHASES: ReadonlySet<string> = new Set(TERMINAL_DRILL_PHASES);

/** What `-o json|yaml` prints: the drill's spec and status in one flat object. */
export function drillData(drill: FailoverDrill): Record<string, unknown> {
  const status = drill.status ?? {};
  return {
    name: drill.metadata.name,
    namespace: drill.metadata.namespace,
    phase: status.phase ?? "Pending",
    target: targetOf(drill),
    identities: drill.spec.identities ?? "all",
    duration: drill.spec.duration,
    forced: status.forced ?? false,
    reason: status.reason ?? null,
    startedAt: status.startedAt ?? null,
    endsAt: status.endsAt ?? null,
    timeline: status.timeline ?? [],
    report: readDrillReport(status.report) ?? null,
  };
}

export function targetOf(drill: FailoverDrill): string {
  const { region, cluster } = drill.spec.target;
  return region === undefined ? `cluster ${cluster ?? ""}` : `region ${region}`;
}

/** The head of status and report: what the drill is and where it stands. */
export function renderDrillSummary(drill: FailoverDrill, now: Date): string {
  const status = drill.status ?? {};
  const phase = status.phase ?? "Pending";
  const lines = [
    `Drill:      ${drill.metadata.namespace ?? ""}/${drill.metadata.name}`,
    `Target:     ${targetOf(drill)}${drill.spec.identities === undefined ? "" : ` (identities ${drill.spec.identities.join(", ")})`}`,
    `Duration:   ${drill.spec.duration}${drill.spec.planOnly ? " (plan only)" : ""}`,
    `Phase:      ${phase}${remaining(status.endsAt, phase, now)}`,
  ];
  if (status.forced === true) lines.push("Forced:     yes: run with --force past a refused preflight");
  if (status.reason !== undefined) lines.push(`Reason:     ${status.reason}`);
  return `${lines.join("\n")}\n`;
}

function remaining(endsAt: string | undefined, phase: string, now: Date): string {
  if (phase !== "Holding" || endsAt === undefined) return "";
  const left = Date.parse(endsAt) - now.getTime();
  return Number.isNaN(left) ? "" : ` (restores in ${humanDuration(Math.max(0, left))})`;
}

/** Timeline lines `+12.3s  Phase  message`, offsets from `origin` (the first entry's time). */
export function renderTimeline(entries: readonly TimelineEntry[], origin: string | undefined): string {
  const start = Date.parse(origin ?? entries[0]?.time ?? "");
  return entries.map((entry) => `  ${offset(Date.parse(entry.time) - start).padStart(8)}  ${entry.phase.padEnd(10)}  ${entry.message}\n`).join("");
}

function offset(ms: number): string {
  if (Number.isNaN(ms)) return "?";
  if (ms < 60_000) return `+${(ms / 1000).toFixed(1)}s`;
  if (ms >= 3_600_000) return `+${humanDuration(ms)}`;
  const seconds = Math.floor(ms / 1000);
  return `+${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

/** The whole readable report: summary, timeline, preflight, affected, verification per cluster. */
export function renderDrillReport(drill: FailoverDrill, now: Date): string {
  const timeline = drill.status?.timeline ?? [];
  const report = readDrillReport(drill.status?.report);
  const parts = [renderDrillSummary(drill, now), `\nTimeline (${timeline.length} entries):\n${timeline.length === 0 ? "  (none yet)\n" : renderTimeline(timeline, timeline[0]?.time)}`];
  if (report !== undefined) parts.push(renderReportBody(report));
  return parts.join("");
}

function renderReportBody(report: DrillReport): string {
  const parts: string[] = [];
  if (report.preflight !== undefined) {
    const reasons = report.preflight.reasons.map((reason) => `  - ${reason}\n`).join("");
    parts.push(`\nPreflight: ${report.preflight.verdict} at ${report.preflight.checkedAt}\n${reasons}`);
  }
  parts.push(`\nAffected: ${report.affectedIdentities.length} identities (${report.affectedIdentities.join(", ") || "none"}), ${report.affectedClusters.length} clusters (${report.affectedClusters.join(", ") || "none"}), ${report.hosts} hosts\n`);
  if (report.ending !== undefined) parts.push(`Ending:   ${report.ending}${report.endReason === undefined ? "" : `: ${report.endReason}`}\n`);
  parts.push(renderVerification("Evacuation", report.evacuation), renderVerification("Restoration", report.restoration));
  return parts.join("");
}

export function renderVerification(title: string, verification: Verification | undefined): string {
  if (verification === undefined) return `\n${title}: not started\n`;
  const start = Date.parse(verification.startedAt);
  const took = verification.durationMs === undefined ? "not verified yet" : `verified in ${(verification.durationMs / 1000).toFixed(1)}s`;
  const rows = verification.clusters.map((cluster) => [
    cluster.cluster,
    String(cluster.hosts),
    cluster.verified ? "yes" : "no",
    cluster.verifiedAt === undefined ? "-" : offset(Date.parse(cluster.verifiedAt) - start),
    [cluster.error, cluster.mismatched === undefined || cluster.mismatched.length === 0 ? undefined : `not as planned: ${cluster.mismatched.join(", ")}`].filter((item) => item !== undefined).join("; ") || "-",
  ]);
  const table = rows.length === 0 ? "  (no affected clusters)\n" : renderTable(["CLUSTER", "HOSTS", "VERIFIED", "AFTER", "PROBLEM"], rows);
  return `\n${title} (started ${verification.startedAt}, ${took}):\n${table}`;
}

/** `drill plan`'s table: the verdict (with each reason when refused), what it affects, the routes. */
export function renderDrillPlan(result: DrillPlan, durationMs: number): string {
  const verdict =
    result.verdict === "Ready"
      ? `Preflight: Ready (the routes below would hold for ${formatDuration(durationMs)}, then come back)`
      : `Preflight: Refused\n${result.reasons.map((reason) => `  - ${reason}`).join("\n")}`;
  const identities = `${counted(result.affectedIdentities.length, "identity", "identities")} (${result.affectedIdentities.join(", ") || "none"})`;
  const clusters = `${counted(result.affectedClusters.length, "cluster", "clusters")} (${result.affectedClusters.join(", ") || "none"})`;
  const summary = `Affects ${identities} in ${clusters}.`;
  if (result.routes.length === 0) return `${verdict}\n${summary}\n`;
  const rows = result.routes.map((route) => [route.cluster, route.identity, route.host, route.now.join(", "), route.during.join(", ") || "(none)"]);
  return `${verdict}\n${summary}\n\n${renderTable(["CLUSTER", "IDENTITY", "HOST", "ENDPOINTS NOW", "DURING THE DRILL"], rows)}`;
}
