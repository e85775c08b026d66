// Meridian's Prometheus metrics on a registry of their own (never prom-client's global one),
// created once by the entry point and passed down. Callers update them through the functions
// below, which take plain values; nothing here keeps state of its own or reads a clock.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

import type { DrillPhase } from "../../crds/failover-drill.js";
import { DRILL_PHASES } from "../../crds/failover-drill.js";
import type { QueueStats } from "../queue/reconcile-queues.js";

/** How a reconcile ended: it wrote something, found nothing to write, failed (retried), or failed for good. */
export type ReconcileOutcome = "changed" | "unchanged" | "error" | "permanent_error";

/** How Meridian wrote to a cluster's API. */
export type WriteVerb = "apply" | "delete" | "status";

export const QUEUE_STATES = ["waiting", "active", "delayed", "failed"] as const;

/** A job another replica enqueued: this replica's plan matched its digest at once, after waiting, was newer, or none within the wait. */
export type CatchUpOutcome = "matched" | "waited" | "newer" | "gave_up";

export interface MeridianMetrics {
  readonly registry: Registry;
  readonly reconcileDuration: Histogram<"cluster" | "outcome">;
  readonly reconciles: Counter<"cluster" | "outcome">;
  readonly queueJobs: Gauge<"cluster" | "state">;
  readonly queueOldestWaiting: Gauge<"cluster">;
  readonly apiWrites: Counter<"cluster" | "kind" | "verb">;
  readonly clusterUp: Gauge<"cluster">;
  readonly clusterSynced: Gauge<"cluster">;
  readonly convergence: Histogram<"cluster">;
  readonly ownedObjects: Gauge<"cluster" | "kind">;
  readonly drillPhase: Gauge<"namespace" | "name" | "phase">;
  readonly problems: Gauge<"code">;
  readonly heldKeys: Gauge<"cluster">;
  readonly conflicts: Gauge<"cluster">;
  readonly catchUpWait: Histogram<"outcome">;
}

export interface MetricsOptions {
  /** Node's process and runtime metrics (process_*, nodejs_*) on the same registry. Default true. */
  readonly defaultMetrics?: boolean;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const CONVERGENCE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export function createMetrics(options: MetricsOptions = {}): MeridianMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Gauge<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers });
  return Object.freeze({
    registry,
    reconcileDuration: histogram("meridian_reconcile_duration_seconds", "Time to reconcile one identity in one member cluster.", ["cluster", "outcome"], SECONDS_BUCKETS),
    reconciles: counter("meridian_reconciles_total", "Reconciles by outcome: changed, unchanged, error (retried), permanent_error.", ["cluster", "outcome"]),
    queueJobs: gauge("meridian_queue_jobs", "Reconcile jobs in a member cluster's queue, by state (waiting, active, delayed, failed).", ["cluster", "state"]),
    queueOldestWaiting: gauge("meridian_queue_oldest_waiting_seconds", "Age of the oldest waiting reconcile job in a member cluster's queue (0 when none waits).", ["cluster"]),
    apiWrites: counter("meridian_api_writes_total", "Writes to member cluster APIs, by object kind and verb (apply, delete, status).", ["cluster", "kind", "verb"]),
    clusterUp: gauge("meridian_cluster_up", "1 when Meridian reaches the member cluster's API, else 0.", ["cluster"]),
    clusterSynced: gauge("meridian_cluster_synced", "1 when every watch of the member cluster has synced its cache, else 0.", ["cluster"]),
    convergence: histogram("meridian_convergence_seconds", "From an observed change to the write in a member cluster that reflects it.", ["cluster"], CONVERGENCE_BUCKETS),
    ownedObjects: gauge("meridian_owned_objects", "Objects Meridian owns in a member cluster, by kind.", ["cluster", "kind"]),
    drillPhase: gauge("meridian_drill_phase", "1 for the current phase of a FailoverDrill, 0 for its other phases.", ["namespace", "name", "phase"]),
    problems: gauge("meridian_problems", "Problems the planner reports, by code.", ["code"]),
    conflicts: gauge("meridian_conflicts", "Keys (identities) in a member cluster whose last reconcile found a generated name taken by an object Meridian does not own.", ["cluster"]),
    catchUpWait: histogram(
      "meridian_catch_up_wait_seconds",
      "Jobs another replica enqueued: how long this replica waited for its plan to match theirs, by outcome (matched at once, waited, newer: this replica saw a later change, gave_up).",
      ["outcome"],
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1],
    ),
    heldKeys: gauge("meridian_held_keys", "Keys (identities) in a member cluster whose last reconcile kept routes of pending clusters instead of removing them.", ["cluster"]),
  });
}

export function recordReconcile(metrics: MeridianMetrics, reconcile: { cluster: string; outcome: ReconcileOutcome; durationMs: number }): void {
  const labels = { cluster: reconcile.cluster, outcome: reconcile.outcome };
  metrics.reconcileDuration.observe(labels, Math.max(0, reconcile.durationMs) / 1000);
  metrics.reconciles.inc(labels);
}

/** From ReconcileQueues.stats(). */
export function recordQueueStats(metrics: MeridianMetrics, stats: readonly QueueStats[]): void {
  for (const stat of stats) {
    for (const state of QUEUE_STATES) metrics.queueJobs.set({ cluster: stat.cluster, state }, stat[state]);
    metrics.queueOldestWaiting.set({ cluster: stat.cluster }, stat.oldestWaitingMs / 1000);
  }
}

export function recordApiWrite(metrics: MeridianMetrics, write: { cluster: string; kind: string; verb: WriteVerb }, count = 1): void {
  metrics.apiWrites.inc({ cluster: write.cluster, kind: write.kind, verb: write.verb }, count);
}

export function recordClusterState(metrics: MeridianMetrics, state: { cluster: string; up: boolean; synced: boolean }): void {
  metrics.clusterUp.set({ cluster: state.cluster }, state.up ? 1 : 0);
  metrics.clusterSynced.set({ cluster: state.cluster }, state.synced ? 1 : 0);
}

/** `observedAt` is ReconcileJobData.observedAt; `writtenAt` when the write that reflects it succeeded (both ms since the epoch). */
export function recordConvergence(metrics: MeridianMetrics, change: { cluster: string; observedAt: number; writtenAt: number }): void {
  metrics.convergence.observe({ cluster: change.cluster }, Math.max(0, change.writtenAt - change.observedAt) / 1000);
}

/** Counts by kind, e.g. `{ ServiceEntry: 12, DestinationRule: 12 }`; give every kind, zeros included. */
export function recordOwnedObjects(metrics: MeridianMetrics, cluster: string, countsByKind: Readonly<Record<string, number>>): void {
  for (const [kind, count] of Object.entries(countsByKind)) metrics.ownedObjects.set({ cluster, kind }, count);
}

/** Sets the drill's current phase to 1 and its other phases to 0 (one series per phase, as kube-state-metrics does). */
export function recordDrillPhase(metrics: MeridianMetrics, drill: { namespace: string; name: string; phase: DrillPhase }): void {
  for (const phase of DRILL_PHASES) metrics.drillPhase.set({ namespace: drill.namespace, name: drill.name, phase }, phase === drill.phase ? 1 : 0);
}

/** For a deleted drill. */
export function forgetDrill(metrics: MeridianMetrics, drill: { namespace: string; name: string }): void {
  for (const phase of DRILL_PHASES) metrics.drillPhase.remove({ namespace: drill.namespace, name: drill.name, phase });
}

export function recordCatchUp(metrics: MeridianMetrics, catchUp: { outcome: CatchUpOutcome; waitedMs: number }): void {
  metrics.catchUpWait.observe({ outcome: catchUp.outcome }, Math.max(0, catchUp.waitedMs) / 1000);
}

/** How many keys of the cluster hold routes of pending clusters now (see controller/core/pending-hold.ts). */
export function recordHeldKeys(metrics: MeridianMetrics, cluster: string, count: number): void {
  metrics.heldKeys.set({ cluster }, count);
}

/** How many keys of the cluster found a generated name taken by an unowned object in their last reconcile. */
export function recordConflicts(metrics: MeridianMetrics, cluster: string, count: number): void {
  metrics.conflicts.set({ cluster }, count);
}

/** Replaces every problem count: codes no longer reported disappear. */
export function recordProblems(metrics: MeridianMetrics, countsByCode: Readonly<Record<string, number>>): void {
  metrics.problems.reset();
  for (const [code, count] of Object.entries(countsByCode)) metrics.problems.set({ code }, count);
}

type ClusterMetric = Counter<string> | Gauge<string> | Histogram<string>;

async function removeCluster(metric: ClusterMetric, cluster: string): Promise<void> {
  const { values } = await metric.get();
  const seen = new Set<string>();
  for (const { labels } of values) {
    if (labels["cluster"] !== cluster) continue;
    const { le: _bucket, ...series } = labels;
    const key = JSON.stringify(series);
    if (seen.has(key)) continue;
    seen.add(key);
    metric.remove(series as Record<string, string>);
  }
}

/** Drops every series of a cluster that has been removed, so its last values do not linger. */
export async function forgetCluster(metrics: MeridianMetrics, cluster: string): Promise<void> {
  const perCluster: ClusterMetric[] = [
    metrics.reconcileDuration,
    metrics.reconciles,
    metrics.queueJobs,
    metrics.queueOldestWaiting,
    metrics.apiWrites,
    metrics.clusterUp,
    metrics.clusterSynced,
    metrics.convergence,
    metrics.ownedObjects,
    metrics.heldKeys,
    metrics.conflicts,
  ];
  await Promise.all(perCluster.map((metric) => removeCluster(metric, cluster)));
}
