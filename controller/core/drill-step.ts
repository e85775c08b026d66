// The FailoverDrill state machine: Pending → Preflight → Evacuating → Holding → Restoring →
// Completed, or Refused / Aborted / Failed. One step at a time, from what the drill's status says and
// what the controller observed (the preflight plan, the read-back of every affected cluster), to
// the next status and the Event that marks it. Everything the drill needs to go on after a restart
// is in the status it returns. Pure; the clock is an argument.
import { drillDurationProblem } from "../../crds/failover-drill.js";
import type { DrillPhase, FailoverDrill, FailoverDrillStatus, TimelineEntry } from "../../crds/index.js";
import { formatDuration, parseDuration } from "../../crds/common.js";
import type { DrillPlan } from "./drill-plan.js";
import { DRILL_ABORT_ANNOTATION, readDrillReport } from "./drill-report.js";
import type { DrillEnding, DrillReport, Verification } from "./drill-report.js";
import { describeTarget, mergeChecks } from "./drill-verify.js";
import type { ClusterCheck } from "./drill-verify.js";

/** How long Evacuating or Restoring may take to be verified in every affected cluster. */
export const DRILL_VERIFY_TIMEOUT_MS = 120_000;

export interface DrillObservations {
  readonly now: Date;
  /** The controller's caches hold the whole fleet: preflight may run. */
  readonly fleetReady: boolean;
  /** The drill's plan against the fleet as it is (needed in Pending). */
  readonly plan?: DrillPlan;
  /** Read-back of every affected cluster (needed in Evacuating and Restoring). */
  readonly checks?: readonly ClusterCheck[];
  readonly verifyTimeoutMs?: number;
}

export interface DrillEvent {
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly message: string;
}

export interface DrillStep {
  readonly status: FailoverDrillStatus;
  /** Set when the phase changes. */
  readonly event?: DrillEvent;
}

const MAX_TIMELINE = 1024;
/** The CRD's limit on a timeline entry's message and on `reason` (maxLength, in characters). */
export const MAX_DRILL_MESSAGE = 4096;
/** Identities named in a message before "and N more". */
const NAMED_IDENTITIES = 10;

export const TERMINAL_DRILL_PHASES: readonly DrillPhase[] = Object.freeze(["Completed", "Aborted", "Failed", "Refused"]);

/** The phases in which the controller reads every affected cluster back. */
export const VERIFIED_DRILL_PHASES: readonly DrillPhase[] = Object.freeze(["Evacuating", "Restoring"]);

export const isAbortRequested = (drill: FailoverDrill): boolean => (drill.metadata.annotations ?? {})[DRILL_ABORT_ANNOTATION] !== undefined;

/** The next status of the drill, or undefined when it has to wait (or has ended). */
export function stepDrill(drill: FailoverDrill, obs: DrillObservations): DrillStep | undefined {
  const phase = drill.status?.phase;
  const ctx = contextOf(drill, obs);
  if (phase === undefined) return enter(ctx, "Pending", `Accepted: evacuate ${ctx.report.target} for ${drill.spec.duration} (${scope(drill)})`);
  if (TERMINAL_DRILL_PHASES.includes(phase)) return undefined;
  if (isAbortRequested(drill) && (phase === "Pending" || phase === "Preflight")) return enter(ctx, "Aborted", "Abort requested before anything changed", { fields: { reason: "Aborted before evacuation" } });
  return STEPS[phase]?.(ctx, obs);
}

const STEPS: Partial<Record<DrillPhase, (ctx: Context, obs: DrillObservations) => DrillStep | undefined>> = {
  Pending: preflight,
  Preflight: decide,
  Evacuating: evacuating,
  Holding: holding,
  Restoring: restoring,
};

interface Context {
  readonly drill: FailoverDrill;
  readonly status: FailoverDrillStatus;
  readonly report: DrillReport;
  readonly now: Date;
  readonly at: string;
  readonly verifyTimeoutMs: number;
}

function contextOf(drill: FailoverDrill, obs: DrillObservations): Context {
  const status = drill.status ?? {};
  const report = readDrillReport(status.report) ?? { target: describeTarget(drill.spec.target), affectedIdentities: [], affectedClusters: [], hosts: 0 };
  return { drill, status, report, now: obs.now, at: obs.now.toISOString(), verifyTimeoutMs: obs.verifyTimeoutMs ?? DRILL_VERIFY_TIMEOUT_MS };
}

function scope(drill: FailoverDrill): string {
  const identities = drill.spec.identities ?? [];
  if (identities.length === 0) return "every identity";
  const more = identities.length - NAMED_IDENTITIES;
  return `identities ${identities.slice(0, NAMED_IDENTITIES).join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

/**
 * `text` as the CRD accepts it: at most `max` characters (code points, as the API server counts),
 * ending with "…" when cut. A longer message made every status write of the drill fail (422).
 */
export function fitDrillText(text: string, max = MAX_DRILL_MESSAGE): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join("")}…`;
}

function preflight(ctx: Context, obs: DrillObservations): DrillStep | undefined {
  if (!obs.fleetReady || obs.plan === undefined) return undefined;
  const { plan } = obs;
  const report: DrillReport = {
    ...ctx.report,
    preflight: { verdict: plan.verdict, reasons: [...plan.reasons], checkedAt: ctx.at },
    affectedIdentities: [...plan.affectedIdentities],
    affectedClusters: [...plan.affectedClusters],
    hosts: plan.routes.length,
  };
  const summary = `affects ${plan.affectedIdentities.length} identities in ${plan.affectedClusters.length} clusters (${plan.routes.length} hosts)`;
  const message = plan.verdict === "Ready" ? `Preflight Ready: ${summary}` : `Preflight Refused: ${plan.reasons.join("; ")}`;
  return enter({ ...ctx, report }, "Preflight", message);
}

function decide(ctx: Context): DrillStep {
  const { drill, report } = ctx;
  const durationProblem = drillDurationProblem(drill.spec.duration);
  if (durationProblem !== undefined) return enter(ctx, "Refused", `Refused: ${durationProblem}`, { fields: { reason: durationProblem } });
  const refused = report.preflight?.verdict !== "Ready";
  const reasons = report.preflight?.reasons.join("; ") ?? "preflight did not run";
  if (refused && !drill.spec.force) return enter(ctx, "Refused", `Refused: ${reasons}. Run it with --force to evacuate anyway`, { fields: { reason: reasons } });
  if (drill.spec.planOnly) return enter(ctx, "Completed", "Plan only: nothing was changed");
  const forced = refused ? { forced: true } : {};
  const message = `Evacuating ${report.target} from ${report.hosts} hosts in ${report.affectedClusters.length} clusters${refused ? ` (forced past preflight: ${reasons})` : ""}`;
  const evacuation = freshVerification(ctx, report.affectedClusters);
  return enter({ ...ctx, report: { ...report, evacuation } }, "Evacuating", message, { fields: { startedAt: ctx.at, ...forced } });
}

function evacuating(ctx: Context, obs: DrillObservations): DrillStep | undefined {
  if (isAbortRequested(ctx.drill)) return restore(ctx, "Aborted", "Abort requested");
  const verification = ctx.report.evacuation ?? freshVerification(ctx, ctx.report.affectedClusters);
  const progress = verify(ctx, verification, obs.checks);
  if (progress === undefined) return undefined;
  const report = { ...ctx.report, evacuation: progress.verification };
  if (progress.done) {
    const endsAt = new Date(ctx.now.getTime() + parseDuration(ctx.drill.spec.duration)).toISOString();
    const took = formatDuration(progress.verification.durationMs ?? 0);
    return enter({ ...ctx, report }, "Holding", `Evacuation verified in every affected cluster after ${took}; holding until ${endsAt}`, { fields: { endsAt }, entries: progress.entries });
  }
  if (progress.expired) return restore({ ...ctx, report }, "Failed", `Evacuation not verified within ${formatDuration(ctx.verifyTimeoutMs)}: ${progress.missing}`, progress.entries);
  return same({ ...ctx, report }, progress.entries);
}

function holding(ctx: Context): DrillStep | undefined {
  if (isAbortRequested(ctx.drill)) return restore(ctx, "Aborted", "Abort requested");
  const endsAt = ctx.status.endsAt === undefined ? Number.NaN : Date.parse(ctx.status.endsAt);
  if (Number.isNaN(endsAt) || ctx.now.getTime() >= endsAt) return restore(ctx, "Completed", `Held for ${ctx.drill.spec.duration}`);
  return undefined;
}

function restoring(ctx: Context, obs: DrillObservations): DrillStep | undefined {
  const verification = ctx.report.restoration ?? freshVerification(ctx, ctx.report.affectedClusters);
  const progress = verify(ctx, verification, obs.checks);
  if (progress === undefined) return undefined;
  const report = { ...ctx.report, restoration: progress.verification };
  const ending: DrillEnding = ctx.report.ending ?? "Completed";
  if (progress.done) {
    const took = formatDuration(progress.verification.durationMs ?? 0);
    const reason = ending === "Completed" ? {} : { reason: ctx.report.endReason ?? ending };
    return enter({ ...ctx, report }, ending, `Restoration verified in every affected cluster after ${took}`, { fields: reason, entries: progress.entries });
  }
  if (progress.expired) {
    const why = `Restoration not verified within ${formatDuration(ctx.verifyTimeoutMs)}: ${progress.missing}`;
    return enter({ ...ctx, report: { ...report, endReason: why } }, "Failed", why, { fields: { reason: why }, entries: progress.entries });
  }
  return same({ ...ctx, report }, progress.entries);
}

/** Leaves Evacuating or Holding: the drill stops being planner input and the routes come back. */
function restore(ctx: Context, ending: DrillEnding, why: string, entries: readonly TimelineEntry[] = []): DrillStep {
  const restoration = freshVerification(ctx, ctx.report.affectedClusters);
  const report: DrillReport = { ...ctx.report, ending, endReason: why, restoration };
  return enter({ ...ctx, report }, "Restoring", `${why}; restoring the routes (the drill ends ${ending})`, { entries });
}

function freshVerification(ctx: Context, clusters: readonly string[]): Verification {
  return { startedAt: ctx.at, clusters: clusters.map((cluster) => ({ cluster, hosts: 0, verified: false })) };
}

interface Progress {
  readonly verification: Verification;
  readonly entries: readonly TimelineEntry[];
  readonly done: boolean;
  readonly expired: boolean;
  /** The clusters not verified, and why, for a message. */
  readonly missing: string;
}

/** undefined when there is nothing new: no cluster newly verified, not done, not expired. */
function verify(ctx: Context, verification: Verification, checks: readonly ClusterCheck[] | undefined): Progress | undefined {
  if (checks === undefined) return undefined;
  const merged = mergeChecks(verification, checks, ctx.at);
  const done = merged.verification.clusters.every((c) => c.verified);
  const expired = !done && ctx.now.getTime() - Date.parse(verification.startedAt) >= ctx.verifyTimeoutMs;
  const phase = ctx.status.phase ?? "Pending";
  const entries = merged.newlyVerified.map((c) => ({ time: ctx.at, phase, message: `Cluster ${c.cluster} verified: ${c.hosts === 1 ? "1 host" : `${c.hosts} hosts`} as planned` }));
  if (!done && !expired && entries.length === 0) return undefined;
  const final = done ? { ...merged.verification, verifiedAt: ctx.at, durationMs: ctx.now.getTime() - Date.parse(verification.startedAt) } : merged.verification;
  return { verification: final, entries, done, expired, missing: merged.missing };
}

/** A status write without a phase change (a cluster verified). */
function same(ctx: Context, entries: readonly TimelineEntry[]): DrillStep {
  return { status: { ...ctx.status, timeline: capped([...(ctx.status.timeline ?? []), ...entries]), report: ctx.report } };
}

/** The CRD keeps at most 1024 entries: the first (when the drill was accepted) and the latest. */
function capped(timeline: TimelineEntry[]): TimelineEntry[] {
  return timeline.length <= MAX_TIMELINE ? timeline : [...timeline.slice(0, 1), ...timeline.slice(timeline.length - MAX_TIMELINE + 1)];
}

interface Extra {
  /** Status fields set with the phase. */
  readonly fields?: Partial<FailoverDrillStatus>;
  /** Timeline entries (clusters verified) that come before the phase's own. */
  readonly entries?: readonly TimelineEntry[];
}

function enter(ctx: Context, phase: DrillPhase, text: string, extra: Extra = {}): DrillStep {
  const { fields: given = {}, entries = [] } = extra;
  const message = fitDrillText(text);
  const fields = given.reason === undefined ? given : { ...given, reason: fitDrillText(given.reason) };
  const generation = ctx.drill.metadata.generation;
  const timeline = capped([...(ctx.status.timeline ?? []), ...entries, { time: ctx.at, phase, message }]);
  const status: FailoverDrillStatus = {
    ...ctx.status,
    ...fields,
    phase,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    timeline,
    report: ctx.report,
  };
  const warning = phase === "Failed" || phase === "Refused";
  return { status, event: { type: warning ? "Warning" : "Normal", reason: `Drill${phase}`, message } };
}
