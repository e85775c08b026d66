// Runs FailoverDrills on the leader: on every tick it reads the drills (from the home watch when it
// serves, else with a list) and moves each unfinished one as far as it can go now
// (controller/core/drill-step.ts decides; this file observes and writes).
// Observing means planning the drill against the graph (preflight) and reading back the
// ServiceEntries of every affected cluster (verification). Each step is one status write made
// against the version read, then an Event and the phase metric. All state is in the status, so a
// new leader continues where the last one stopped.
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { compareStrings } from "../../crds/compare.js";
import type { FailoverDrill } from "../../crds/index.js";
import { backoffCeiling, type BackoffOptions } from "../../federation/backoff.js";
import type { GraphSnapshot } from "../../federation/graph/model.js";
import { ACTIVE_DRILL_PHASES, drillOf } from "../../federation/graph/to-model.js";
import type { ClusterName } from "../../federation/graph-model.js";
import { planDrill } from "../core/index.js";
import type { Drill, DrillPlan, DrillRoute, PlanInput } from "../core/index.js";
import { TERMINAL_DRILL_PHASES, stepDrill } from "../core/drill-step.js";
import type { DrillObservations } from "../core/drill-step.js";
import { readDrillReport } from "../core/drill-report.js";
import { checkCluster } from "../core/drill-verify.js";
import type { ClusterCheck, Expectation } from "../core/drill-verify.js";
import { forgetDrill, recordDrillPhase } from "../observability/index.js";
import type { MeridianMetrics } from "../observability/index.js";
import { readServiceEntries } from "./drill-readback.js";
import { DrillStore } from "./drill-store.js";
import { OwnWrites } from "./own-writes.js";

/** Steps one drill may take in one tick (Pending → Preflight → Evacuating is three). */
const MAX_STEPS_PER_TICK = 6;
const LIST_WARNING_INTERVAL_MS = 30_000;
/** A drill whose step failed is tried again after 250 ms, doubling to 30 s, not on every tick (a write the API server rejects would otherwise repeat several times a second). */
const STEP_RETRY_BACKOFF: BackoffOptions = Object.freeze({ baseMs: 250, capMs: 30_000 });
/** A cluster whose writes the reconcilers do not report done is still read back this often. */
const READ_BACK_MAX_INTERVAL_MS = 10_000;

export interface DrillRunnerDeps {
  readonly homeKubeConfig: KubeConfig;
  readonly snapshot: () => GraphSnapshot;
  readonly plannerOptions: PlanInput["options"];
  readonly kubeConfigOf: (cluster: ClusterName) => KubeConfig | undefined;
  /** The controller's caches hold the whole fleet. */
  readonly fleetReady: () => boolean;
  readonly metrics: MeridianMetrics;
  readonly log: Logger;
  /**
   * Whether the reconcilers report having written, in `cluster`, what the planner wants for these
   * identities (cheap: Redis). A cluster is read back only then, or READ_BACK_MAX_INTERVAL_MS after
   * it was first considered or last read, so verification does not list a cluster's ServiceEntries
   * while its writes are still going on. Absent: read every tick.
   */
  readonly written?: (cluster: string, identities: readonly string[]) => Promise<boolean>;
  readonly now?: () => Date;
  readonly verifyTimeoutMs?: number;
  /** The drills as the home watch holds them (no request), or undefined while it does not serve: then they are listed. */
  readonly drills?: () => readonly FailoverDrill[] | undefined;
}

export class DrillRunner {
  private readonly store: DrillStore;
  private readonly log: Logger;
  private readonly now: () => Date;
  /** `namespace/name` of the drills seen on the last tick, for the metric. */
  private seen = new Set<string>();
  private listFailedAt: number | undefined;
  /** Drills this runner wrote that the watch may not show yet. */
  private readonly ownWrites = new OwnWrites<FailoverDrill>();
  /** Drills whose last step failed: how often in a row, and when to try again (ms since the epoch). */
  private readonly failing = new Map<string, { failures: number; retryAt: number }>();
  /** When each (drill, cluster) was last read back. */
  private readAt = new Map<string, number>();
  /** The last plan made, for as long as the graph snapshot and the drills are the same (planning the fleet twice every tick was about 5% of the controller's busy time during a drill). */
  private lastPlan: { snapshot: GraphSnapshot; key: string; plan: DrillPlan } | undefined;

  constructor(private readonly deps: DrillRunnerDeps) {
    this.store = new DrillStore(deps.homeKubeConfig);
    this.log = deps.log.child({ component: "drills" });
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * One tick: every unfinished drill as far as it can go. Errors on one drill are logged; the others
   * go on. Returns when (ms since the epoch) the earliest holding drill's hold ends, so the caller
   * can run the next tick then rather than up to a tick later.
   */
  async run(): Promise<number | undefined> {
    const drills = await this.list();
    if (drills === undefined) return undefined;
    this.recordPhases(drills);
    const active = new Map(drills.filter(isActive).map((d) => [keyOf(d), d]));
    const running = drills.filter((d) => d.status?.phase === undefined || !TERMINAL_DRILL_PHASES.includes(d.status.phase));
    this.forgetFinished(new Set(running.map(keyOf)));
    let holdEnds: number | undefined;
    for (const drill of running.filter((d) => (this.failing.get(keyOf(d))?.retryAt ?? 0) <= this.now().getTime())) {
      const ends = await this.tryAdvance(drill, active);
      if (ends !== undefined) holdEnds = Math.min(holdEnds ?? ends, ends);
    }
    return holdEnds;
  }

  /** Advances one drill; returns when its hold ends (if Holding). A failure is logged and retried after a backoff. */
  private async tryAdvance(drill: FailoverDrill, active: Map<string, FailoverDrill>): Promise<number | undefined> {
    const key = keyOf(drill);
    try {
      const after = await this.advance(drill, active);
      this.failing.delete(key);
      const ends = after.status?.phase === "Holding" && after.status.endsAt !== undefined ? Date.parse(after.status.endsAt) : Number.NaN;
      return Number.isNaN(ends) ? undefined : ends;
    } catch (err) {
      const failures = (this.failing.get(key)?.failures ?? 0) + 1;
      const retryInMs = backoffCeiling(failures - 1, STEP_RETRY_BACKOFF);
      this.failing.set(key, { failures, retryAt: this.now().getTime() + retryInMs });
      this.log.warn({ namespace: drill.metadata.namespace, name: drill.metadata.name, err, failures, retryInMs }, "Drill step failed; retrying later");
      return undefined;
    }
  }

  /** The drills, or undefined when they cannot be read (said at most every 30 s: the tick is 250 ms). */
  private async list(): Promise<FailoverDrill[] | undefined> {
    const watched = this.deps.drills?.();
    if (watched !== undefined) return this.ownWrites.newest(watched);
    try {
      const drills = await this.store.list();
      this.listFailedAt = undefined;
      return drills;
    } catch (err) {
      const now = this.now().getTime();
      if (this.listFailedAt === undefined || now - this.listFailedAt >= LIST_WARNING_INTERVAL_MS) {
        this.log.warn({ err }, "Failed to list FailoverDrills; drills wait until the home cluster answers");
        this.listFailedAt = now;
      }
      return undefined;
    }
  }

  /** Forgets the read-back times and step failures of drills no longer running. */
  private forgetFinished(running: ReadonlySet<string>): void {
    for (const key of [...this.failing.keys()]) if (!running.has(key)) this.failing.delete(key);
    for (const key of [...this.readAt.keys()]) if (!running.has(key.slice(0, key.indexOf(" ")))) this.readAt.delete(key);
  }

  /** Forgets the phase metrics (when this replica stops leading). */
  forget(): void {
    for (const key of this.seen) {
      const [namespace = "", name = ""] = key.split("/");
      forgetDrill(this.deps.metrics, { namespace, name });
    }
    this.seen.clear();
  }

  /** Moves the drill as far as it can go now; returns it as it then is. */
  private async advance(start: FailoverDrill, active: Map<string, FailoverDrill>): Promise<FailoverDrill> {
    let drill = start;
    for (let i = 0; i < MAX_STEPS_PER_TICK; i++) {
      const step = stepDrill(drill, await this.observe(drill, active));
      if (step === undefined) return drill;
      const written = await this.store.writeStatus(drill, step.status);
      if (written === undefined) return drill; // changed meanwhile: the next tick reads it again
      this.ownWrites.wrote(drill, written);
      drill = written;
      if (isActive(drill)) active.set(keyOf(drill), drill);
      else active.delete(keyOf(drill));
      this.recordPhase(drill);
      if (step.event !== undefined) await this.announce(drill, step.event);
    }
    return drill;
  }

  private async announce(drill: FailoverDrill, event: { type: "Normal" | "Warning"; reason: string; message: string }): Promise<void> {
    const where = { namespace: drill.metadata.namespace, name: drill.metadata.name, phase: drill.status?.phase };
    this.log.info(where, event.message);
    await this.store.event(drill, event, this.now()).catch((err: unknown) => this.log.warn({ ...where, err }, "Failed to create the drill's Event"));
  }

  private async observe(drill: FailoverDrill, active: ReadonlyMap<string, FailoverDrill>): Promise<DrillObservations> {
    const phase = drill.status?.phase;
    const base = { now: this.now(), fleetReady: this.deps.fleetReady(), ...(this.deps.verifyTimeoutMs === undefined ? {} : { verifyTimeoutMs: this.deps.verifyTimeoutMs }) };
    if (phase === "Pending") return base.fleetReady ? { ...base, plan: this.plan(drill, active) } : base;
    if (phase === "Evacuating" || phase === "Restoring") return { ...base, checks: await this.readBack(drill, active, phase === "Evacuating" ? "during" : "now") };
    return base;
  }

  /**
   * planDrill over the graph, with the running drills as this runner knows them (it may be ahead of
   * the graph's watch); the same plan while neither the graph snapshot nor any drill changed.
   */
  private plan(drill: FailoverDrill, active: ReadonlyMap<string, FailoverDrill>): DrillPlan {
    const snapshot = this.deps.snapshot();
    const drills: Drill[] = [...active.values()].map(drillOf).sort(byRef);
    const target = drillOf(drill);
    const key = JSON.stringify([target, drills]);
    if (this.lastPlan?.snapshot === snapshot && this.lastPlan.key === key) return this.lastPlan.plan;
    const plan = planDrill({ ...snapshot, drills, options: this.deps.plannerOptions }, target);
    this.lastPlan = { snapshot, key, plan };
    return plan;
  }

  /** Every affected cluster's ServiceEntries compared with the drill's routes (during it, or without it). */
  private async readBack(drill: FailoverDrill, active: ReadonlyMap<string, FailoverDrill>, expect: Expectation): Promise<ClusterCheck[]> {
    const { routes } = this.plan(drill, active);
    const affected = readDrillReport(drill.status?.report)?.affectedClusters ?? [];
    const clusters = [...new Set([...affected, ...routes.map((r) => r.cluster)])].sort();
    const verified = new Set(readDrillReport(drill.status?.report)?.[expect === "during" ? "evacuation" : "restoration"]?.clusters.filter((c) => c.verified).map((c) => c.cluster));
    const checks = await Promise.all(clusters.filter((c) => !verified.has(c)).map((cluster) => this.checkCluster(`${keyOf(drill)} ${expect} ${cluster}`, cluster, routes, expect)));
    return checks.filter((check): check is ClusterCheck => check !== undefined);
  }

  /** One cluster read back, or undefined when its writes are still going on (nothing to say yet). */
  private async checkCluster(key: string, cluster: string, routes: readonly DrillRoute[], expect: Expectation): Promise<ClusterCheck | undefined> {
    const kubeConfig = this.deps.kubeConfigOf(cluster as ClusterName);
    if (kubeConfig === undefined) return { cluster, hosts: 0, mismatched: [], error: "not registered, or its credentials are not usable" };
    const now = this.now().getTime();
    const identities = [...new Set(routes.filter((r) => r.cluster === cluster).map((r) => r.identity))];
    // A list of the cluster's ServiceEntries costs its API server 17–26 ms of CPU for 300 of them
    // (npm run bench:request-cost): not before the writes are reported done, or the interval has passed.
    const last = this.readAt.get(key);
    if (last === undefined) this.readAt.set(key, now);
    const due = last !== undefined && now - last >= READ_BACK_MAX_INTERVAL_MS;
    if (!due && this.deps.written !== undefined && !(await this.deps.written(cluster, identities).catch(() => true))) return undefined;
    this.readAt.set(key, now);
    try {
      return checkCluster(cluster, routes, await readServiceEntries(kubeConfig, this.deps.plannerOptions.syncNamespace), expect);
    } catch (err) {
      return { cluster, hosts: 0, mismatched: [], error: `unreadable: ${(err as Error).message.split("\n")[0] ?? "read failed"}` };
    }
  }

  private recordPhases(drills: readonly FailoverDrill[]): void {
    const now = new Set(drills.map(keyOf));
    for (const key of this.seen) {
      if (now.has(key)) continue;
      const [namespace = "", name = ""] = key.split("/");
      forgetDrill(this.deps.metrics, { namespace, name });
    }
    this.seen = now;
    for (const drill of drills) this.recordPhase(drill);
  }

  private recordPhase(drill: FailoverDrill): void {
    const phase = drill.status?.phase;
    if (phase !== undefined) recordDrillPhase(this.deps.metrics, { namespace: drill.metadata.namespace ?? "", name: drill.metadata.name, phase });
  }
}

const byRef = (a: Drill, b: Drill): number => compareStrings(a.ref.namespace ?? "", b.ref.namespace ?? "") || compareStrings(a.ref.name, b.ref.name);

const keyOf = (drill: FailoverDrill): string => `${drill.metadata.namespace ?? ""}/${drill.metadata.name}`;

function isActive(drill: FailoverDrill): boolean {
  const phase = drill.status?.phase;
  return phase !== undefined && ACTIVE_DRILL_PHASES.includes(phase);
}
