// The level-triggered reconciler of one key (cluster, identity): reads what the identity should have
// in the cluster (the planner cache) and what is there (the member's API server), and writes the
// difference. It remembers nothing between runs; a job is only a key.
import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { makeClient } from "../../federation/kube/clients.js";
import { clusterName } from "../../federation/graph-model.js";
import type { ClusterName } from "../../federation/graph-model.js";
import { diffHoldingPending } from "../core/index.js";
import type { Conflict, ObjectDiff, ObjectKey, Problem } from "../core/index.js";
import { recordApiWrite, recordCatchUp, recordConflicts, recordConvergence, recordHeldKeys, recordReconcile, reconcileLogger } from "../observability/index.js";
import type { CatchUpOutcome, MeridianMetrics, ReconcileOutcome } from "../observability/index.js";
import { PermanentReconcileError, conflictRecord } from "../queue/index.js";
import type { ReconcileJobData, WriteRate, WrittenDigests } from "../queue/index.js";
import { ClusterWriteLimits, deleteObject } from "./apply-objects.js";
import { desiredDigest, planDigest } from "./desired-digest.js";
import { apiStatusOf } from "./istio-kinds.js";
import { applyIfCurrent } from "./confirm-write.js";
import type { MemberObjectSource } from "./member-object-cache.js";
import { readMemberObjects } from "./member-objects.js";
import type { MemberObject } from "./member-objects.js";
import type { DesiredObjects, PlannerCache } from "./planner-cache.js";

/** Where member credentials come from: the ClusterRegistry. */
export interface MemberClusters {
  kubeConfigOf(cluster: ClusterName): KubeConfig | undefined;
}

export interface ReconcilerDeps {
  readonly planner: PlannerCache;
  readonly clusters: MemberClusters;
  readonly log: Logger;
  readonly metrics?: MeridianMetrics;
  /** Each member's write tokens, shared by every replica (SharedWriteRate). */
  readonly writeRate: WriteRate;
  /** Milliseconds since the epoch; Date.now by default. */
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly requestTimeoutMs?: number;
  /** Where a successful reconcile records the digest of what is now live (for status). */
  readonly written?: WrittenDigests;
  /** This replica's name (jobs it enqueued itself need no catching up). */
  readonly replica?: string;
  /** Members' objects kept by watches (`MemberObjectCache`); without it every reconcile lists them. */
  readonly memberObjects?: MemberObjectSource;
  /** Registered clusters not synced now: their routes are kept, never removed (core/pending-hold.ts). */
  readonly pendingClusters?: () => ReadonlySet<string>;
  /** When this replica's graph last reported a change of the identity (ChangeTimes); 0 when never. */
  readonly lastChangeOf?: (identity: string) => number;
}

interface Written {
  applied: ObjectKey[];
  deleted: ObjectKey[];
  conflicts: Conflict[];
  unchanged: number;
}

export interface ReconcileResult {
  readonly applied: readonly ObjectKey[];
  readonly deleted: readonly ObjectKey[];
  readonly conflicts: readonly Conflict[];
  readonly unchanged: number;
  readonly problems: readonly Problem[];
  /** Objects kept for pending clusters instead of written as planned. */
  readonly held: readonly ObjectKey[];
}

/**
 * A job another replica enqueued, planned differently there than here: this replica's watches may
 * not have seen the change yet, and writing its older view would fight the other replica's writes.
 * It waits up to this long for its own plan to match, unless (or until) this replica's graph reports
 * a change of the identity made after the job was enqueued: then its view is the newer one (the job
 * is stale; the newer change enqueued the key again). After the wait it goes ahead with its own view.
 * Measured with bench:fleet (2026-12-07, two replicas, 4 clusters): every wait that ended in a match
 * took at most 50 ms (29 in two runs), while jobs that never matched waited the whole wait for nothing
 * (104 of them, 106 s of workers' time, in one run with a 1 s wait): hence 250 ms.
 */
export const CATCH_UP_MS = 250;
const CATCH_UP_POLL_MS = 10;

function catchUpOutcome(state: { matched: boolean; newer: boolean; waitedMs: number }): CatchUpOutcome {
  if (state.matched) return state.waitedMs > 0 ? "waited" : "matched";
  return state.newer ? "newer" : "gave_up";
}

/** API statuses that retrying cannot fix: forbidden by RBAC, or an object the CRD's schema refuses. */
const PERMANENT_STATUSES = new Set([403, 422]);

export class Reconciler {
  private readonly deps: ReconcilerDeps;
  private readonly clock: () => number;
  private readonly limits: ClusterWriteLimits;
  private readonly apis = new WeakMap<KubeConfig, CustomObjectsApi>();
  private readonly sleep: (ms: number) => Promise<void>;
  /** Identities whose last reconcile in a cluster held routes of pending clusters, or found a conflict (for the metrics). */
  private readonly held = new KeysPerCluster();
  private readonly conflicted = new KeysPerCluster();
  private runs = 0;

  constructor(deps: ReconcilerDeps) {
    this.deps = deps;
    this.clock = deps.clock ?? Date.now;
    this.sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.limits = new ClusterWriteLimits({ rate: deps.writeRate, sleep: this.sleep });
  }

  /** Makes the cluster's objects of the identity what the planner wants. Throws to be retried; PermanentReconcileError when retrying cannot help. */
  async reconcile(job: ReconcileJobData): Promise<ReconcileResult> {
    const started = this.clock();
    this.runs += 1;
    const log = reconcileLogger(this.deps.log, { cluster: job.cluster, identity: job.identity, reconcileId: `${this.runs}` });
    try {
      const result = await this.run(job, log);
      this.record(job, started, result.applied.length + result.deleted.length > 0 ? "changed" : "unchanged");
      return result;
    } catch (err) {
      const permanent = PERMANENT_STATUSES.has(apiStatusOf(err) ?? 0);
      this.record(job, started, permanent ? "permanent_error" : "error");
      if (permanent) throw new PermanentReconcileError(`Reconciling ${job.identity} in cluster ${job.cluster} was refused: ${(err as Error).message}`, { cause: err });
      throw err;
    }
  }

  private async run(job: ReconcileJobData, log: Logger): Promise<ReconcileResult> {
    const { kubeConfig, api } = this.apiFor(job.cluster);
    const namespace = this.deps.planner.syncNamespace;
    log.debug({ sinceObservedMs: this.clock() - job.observedAt, cause: job.cause }, "Reconciling");
    // Pending before the plan and after the live read, both: a cluster that syncs while this runs was
    // unknown to the plan, so its live endpoints are still held this time (its sync enqueues the key again).
    const pendingAtPlan = this.pendingNow();
    const desired = await this.caughtUp(job, log);
    const watched = this.deps.memberObjects?.objectsOf(job.cluster, kubeConfig, job.identity);
    const live = await readMemberObjects(api, { namespace, identity: job.identity, desired: desired.objects, watched });
    const pending = new Set([...pendingAtPlan, ...this.pendingNow()]);
    const diff = diffHoldingPending(desired.objects, live, pending);
    this.noteHeld(job, diff.held, pending, log);
    const written = await this.write(job, diff, { api, namespace, log, live });
    const conflicts = [...diff.conflicts, ...written.conflicts];
    this.noteConflicts(job, conflicts, log);
    // Conflicting or held objects are not as planned: the identity is not fully live there.
    const [conflict] = conflicts;
    const digest = conflict !== undefined ? conflictRecord(`${conflict.kind} ${namespace}/${conflict.name}`) : diff.held.length === 0 ? desiredDigest(desired.objects) : undefined;
    await this.deps.written?.record(job.cluster, job.identity, digest);
    return { applied: written.applied, deleted: written.deleted, conflicts, unchanged: diff.unchanged + written.unchanged, problems: desired.problems, held: diff.held };
  }

  private pendingNow(): ReadonlySet<string> {
    return this.deps.pendingClusters?.() ?? new Set<string>();
  }

  /** Applies (each only at the version the diff saw), then deletes; returns what was actually written. */
  private async write(job: ReconcileJobData, diff: ObjectDiff, target: { api: CustomObjectsApi; namespace: string; log: Logger; live: readonly MemberObject[] }): Promise<Written> {
    const { api, namespace, log } = target;
    const versions = new Map(target.live.map((object) => [`${object.kind}/${object.metadata.name}`, object.metadata.resourceVersion]));
    const written: Written = { applied: [], deleted: [], conflicts: [], unchanged: 0 };
    for (const object of diff.apply) {
      await this.limits.acquire(job.cluster);
      const outcome = await applyIfCurrent(api, object, versions.get(`${object.kind}/${object.metadata.name}`));
      if (outcome.result === "conflict") written.conflicts.push(outcome.conflict);
      if (outcome.result === "unchanged") written.unchanged += 1;
      if (outcome.result !== "applied" && outcome.result !== "replaced") continue;
      written.applied.push({ kind: object.kind, name: object.metadata.name });
      this.wrote(job, object.kind, "apply");
      log.info({ kind: object.kind, name: object.metadata.name }, outcome.result === "applied" ? `Applied ${object.kind}` : `Replaced ${object.kind} (removed fields added by hand)`);
    }
    for (const key of diff.remove) {
      await this.limits.acquire(job.cluster);
      const resourceVersion = versions.get(`${key.kind}/${key.name}`);
      if (!(await deleteObject(api, namespace, resourceVersion === undefined ? key : { ...key, resourceVersion }))) continue;
      written.deleted.push(key);
      this.wrote(job, key.kind, "delete");
      log.info({ kind: key.kind, name: key.name }, `Deleted ${key.kind}`);
    }
    return written;
  }

  /** This replica's plan for the key, once it matches the enqueuer's, or is newer, or CATCH_UP_MS have passed. */
  private async caughtUp(job: ReconcileJobData, log: Logger): Promise<DesiredObjects> {
    let desired = this.deps.planner.desiredFor(job.cluster, job.identity);
    if (job.planDigest === undefined || job.enqueuedBy === undefined || job.enqueuedBy === this.deps.replica) return desired;
    const started = this.clock();
    const newer = (): boolean => (this.deps.lastChangeOf?.(job.identity) ?? 0) >= job.observedAt;
    const matches = (): boolean => planDigest(desired.objects) === job.planDigest;
    while (!matches() && !newer() && this.clock() < started + CATCH_UP_MS) {
      await this.sleep(CATCH_UP_POLL_MS);
      desired = this.deps.planner.desiredFor(job.cluster, job.identity);
    }
    const waitedMs = this.clock() - started;
    const outcome = catchUpOutcome({ matched: matches(), newer: newer(), waitedMs });
    if (outcome === "gave_up") log.debug({ enqueuedBy: job.enqueuedBy }, "Plans differently from the replica that enqueued the key; going ahead with this replica's view");
    if (this.deps.metrics !== undefined) recordCatchUp(this.deps.metrics, { outcome, waitedMs });
    return desired;
  }

  private noteHeld(job: ReconcileJobData, held: readonly ObjectKey[], pending: ReadonlySet<string>, log: Logger): void {
    if (held.length > 0) log.info({ held: held.map((key) => `${key.kind}/${key.name}`), pendingClusters: [...pending] }, "Held back routes of pending clusters");
    const count = this.held.set(job.cluster, job.identity, held.length > 0);
    if (this.deps.metrics !== undefined) recordHeldKeys(this.deps.metrics, job.cluster, count);
  }

  /** Logged, counted, and told to the member object cache, which enqueues the key when the unowned object changes or goes. */
  private noteConflicts(job: ReconcileJobData, conflicts: readonly Conflict[], log: Logger): void {
    for (const conflict of conflicts) log.warn({ kind: conflict.kind, name: conflict.name, problem: conflict.message }, `Skipped conflicting ${conflict.kind}`);
    this.deps.memberObjects?.noteConflicts?.(job.cluster, job.identity, conflicts);
    const count = this.conflicted.set(job.cluster, job.identity, conflicts.length > 0);
    if (this.deps.metrics !== undefined) recordConflicts(this.deps.metrics, job.cluster, count);
  }

  private apiFor(cluster: string): { kubeConfig: KubeConfig; api: CustomObjectsApi } {
    const kubeConfig = this.deps.clusters.kubeConfigOf(clusterName(cluster));
    if (kubeConfig === undefined) {
      throw new Error(`Cluster ${cluster} is not engaged or has no valid credentials`);
    }
    let api = this.apis.get(kubeConfig);
    if (api === undefined) {
      api = makeClient(kubeConfig, CustomObjectsApi, this.deps.requestTimeoutMs);
      this.apis.set(kubeConfig, api);
    }
    return { kubeConfig, api };
  }

  private wrote(job: ReconcileJobData, kind: string, verb: "apply" | "delete"): void {
    const { metrics } = this.deps;
    if (metrics === undefined) return;
    recordApiWrite(metrics, { cluster: job.cluster, kind, verb });
    recordConvergence(metrics, { cluster: job.cluster, observedAt: job.observedAt, writtenAt: this.clock() });
  }

  private record(job: ReconcileJobData, started: number, outcome: ReconcileOutcome): void {
    if (this.deps.metrics !== undefined) recordReconcile(this.deps.metrics, { cluster: job.cluster, outcome, durationMs: this.clock() - started });
  }
}

/** cluster → identities with some condition now; `set` returns the cluster's count. */
class KeysPerCluster {
  private readonly byCluster = new Map<string, Set<string>>();

  set(cluster: string, identity: string, on: boolean): number {
    const identities = this.byCluster.get(cluster) ?? new Set<string>();
    this.byCluster.set(cluster, identities);
    if (on) identities.add(identity);
    else identities.delete(identity);
    return identities.size;
  }
}
