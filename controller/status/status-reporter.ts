// Writes the status of every ServiceDependency and TrafficPolicy in the graph, and a Warning Event for
// each planner problem on them. One report reads the written digests once per cluster, computes every
// status (pure: dependency-status.ts, policy-status.ts) and writes only what differs from what the
// object said when last read or written, with server-side apply on the status subresource. A report
// with nothing changed makes no API call at all. No timers: the caller decides when to report.
// Objects are read from the home objects' watch when it serves (`watched`); the API server is asked
// only while it does not, or when the watch does not yet show the spec the graph planned.
import { CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";

import type { GraphSnapshot } from "../../federation/graph/model.js";
import { makeClient } from "../../federation/kube/clients.js";
import { httpStatusOf } from "../../federation/kube/api-errors.js";
import { FIELD_MANAGER } from "../../federation/registration/names.js";
import { applyStatus } from "../../federation/kube/apply-status.js";
import type { WrittenDigests } from "../queue/index.js";
import { dependencyStatus } from "./dependency-status.js";
import { FleetView } from "./fleet-view.js";
import type { DesiredObjects, StatusInputs, WrittenByCluster } from "./fleet-view.js";
import { listObjects, readObject, refKey, watchedObject, watchedObjects } from "./live-objects.js";
import type { LiveObject, WatchedHomeObjects } from "./live-objects.js";
import { statusToApply } from "./object-status.js";
import type { ObjectStatus } from "./object-status.js";
import { policyStatus } from "./policy-status.js";
import { ProblemEvents } from "./problem-events.js";

export interface StatusReporterDeps {
  /** The cluster that holds the ServiceDependencies and TrafficPolicies. */
  readonly homeKubeConfig: KubeConfig;
  readonly graph: { snapshot(): GraphSnapshot };
  /** The reconciler's planner (PlannerCache), so status describes the plan that is written. */
  readonly planner: { desiredFor(cluster: string, identity: string): DesiredObjects };
  readonly written: Pick<WrittenDigests, "digests">;
  readonly log: Logger;
  readonly fieldManager?: string;
  readonly now?: () => Date;
  readonly requestTimeoutMs?: number;
  /** The home objects' watch: read instead of LIST and GET while it serves. */
  readonly watched?: WatchedHomeObjects;
}

export interface ReportOptions {
  /** Re-read every object (from the watch, else one paged LIST per kind) instead of trusting what was last read or written: for the periodic resync. */
  readonly reread?: boolean;
}

export interface ReportResult {
  /** Statuses applied. */
  readonly written: number;
  /** Objects whose status already said what it should. */
  readonly unchanged: number;
  /** Objects left for a later report: deleted meanwhile, or their spec is newer than the graph's. */
  readonly skipped: number;
  /** Events created. */
  readonly events: number;
  /** Statuses that could not be read, computed or written, and Events that could not be created (logged; retried on the next report). */
  readonly failed: number;
}

const EMPTY: ReportResult = Object.freeze({ written: 0, unchanged: 0, skipped: 0, events: 0, failed: 0 });

interface Counts {
  written: number;
  unchanged: number;
  skipped: number;
  events: number;
  failed: number;
}

export class StatusReporter {
  private readonly deps: StatusReporterDeps;
  private readonly api: CustomObjectsApi;
  private readonly events: ProblemEvents;
  private readonly now: () => Date;
  private readonly log: Logger;
  /** What each object said when last read or written, by refKey. Forgotten on failure, so it is re-read. */
  private entries = new Map<string, LiveObject>();
  private listed = false;
  private running: Promise<unknown> = Promise.resolve();
  /** The report that runs next, shared by every call made before it starts. */
  private queued: { reread: boolean; result: Promise<ReportResult> } | undefined;

  constructor(deps: StatusReporterDeps) {
    this.deps = deps;
    this.now = deps.now ?? (() => new Date());
    this.log = deps.log.child({ component: "status" });
    this.api = makeClient(deps.homeKubeConfig, CustomObjectsApi, deps.requestTimeoutMs);
    this.events = new ProblemEvents({ api: makeClient(deps.homeKubeConfig, CoreV1Api, deps.requestTimeoutMs), log: this.log, now: this.now });
  }

  /**
   * Brings every status and Event up to date. Never throws. Reports run one at a time; calls made
   * while one runs share the single report that runs next (re-reading if any of them asked to).
   */
  report(options: ReportOptions = {}): Promise<ReportResult> {
    if (this.queued !== undefined) {
      this.queued.reread ||= options.reread === true;
      return this.queued.result;
    }
    const queued: { reread: boolean; result: Promise<ReportResult> } = { reread: options.reread === true, result: Promise.resolve(EMPTY) };
    queued.result = this.running.then(() => {
      this.queued = undefined;
      return this.run({ reread: queued.reread });
    });
    this.queued = queued;
    this.running = queued.result.catch(() => undefined);
    return queued.result;
  }

  private async run(options: ReportOptions): Promise<ReportResult> {
    const counts: Counts = { ...EMPTY };
    const before = this.deps.graph.snapshot();
    const written = await this.readDigests(before);
    if (written === undefined) return { ...counts, failed: before.dependencies.length + before.policies.length };
    if (options.reread === true || !this.listed) await this.listAll();
    // Read after the awaits: statuses are computed synchronously from the snapshot the planner sees too.
    const snapshot = this.deps.graph.snapshot();
    const statuses = this.compute({ snapshot, desiredFor: (c, i) => this.deps.planner.desiredFor(c, i), written }, counts);
    for (const status of statuses) await this.sync(status, counts);
    this.forgetOthers(statuses);
    if (counts.written + counts.events + counts.failed > 0) this.log.info({ ...counts }, "Reported status");
    return counts;
  }

  private async readDigests(snapshot: GraphSnapshot): Promise<WrittenByCluster | undefined> {
    try {
      const clusters = snapshot.clusters.map((c) => c.name);
      const digests = await Promise.all(clusters.map((cluster) => this.deps.written.digests(cluster)));
      return new Map(clusters.map((cluster, i) => [cluster, digests[i] ?? new Map()]));
    } catch (err) {
      this.log.warn({ err }, "Failed to read written state; status not reported");
      return undefined;
    }
  }

  /** Replaces what is known of every object from the watch, else with one paged LIST per kind; on failure, objects are read one by one. */
  private async listAll(): Promise<void> {
    const watched = this.deps.watched;
    const dependencies = watched === undefined ? undefined : watchedObjects(watched, "ServiceDependency");
    const policies = watched === undefined ? undefined : watchedObjects(watched, "TrafficPolicy");
    if (dependencies !== undefined && policies !== undefined) {
      this.entries = new Map([...dependencies, ...policies]);
      this.listed = true;
      return;
    }
    try {
      const [dependencies, policies] = await Promise.all([listObjects(this.api, "ServiceDependency"), listObjects(this.api, "TrafficPolicy")]);
      this.entries = new Map([...dependencies, ...policies]);
      this.listed = true;
    } catch (err) {
      this.log.warn({ err }, "Failed to list ServiceDependencies and TrafficPolicies; reading them one by one");
      this.entries.clear();
    }
  }

  /** Every status, in graph order. A status that cannot be computed is logged and counted, never thrown. */
  private compute(inputs: StatusInputs, counts: Counts): ObjectStatus[] {
    const view = new FleetView(inputs);
    const statuses: ObjectStatus[] = [];
    const all = [
      ...inputs.snapshot.dependencies.map((d) => ({ ref: d.ref, status: () => dependencyStatus(view, d) })),
      ...inputs.snapshot.policies.map((p) => ({ ref: p.ref, status: () => policyStatus(view, p) })),
    ];
    for (const { ref, status } of all) {
      try {
        statuses.push(status());
      } catch (err) {
        counts.failed += 1;
        this.log.error({ kind: ref.kind, namespace: ref.namespace, name: ref.name, err }, "Failed to compute status");
      }
    }
    return statuses;
  }

  private async sync(status: ObjectStatus, counts: Counts): Promise<void> {
    const key = refKey(status.kind, status.ref);
    const target = { kind: status.kind, namespace: status.ref.namespace ?? "", name: status.ref.name };
    try {
      const live = await this.liveObject(key, status);
      if (live === undefined || live.model !== JSON.stringify(status.model)) {
        counts.skipped += 1;
        return;
      }
      await this.writeStatus(key, status, live, counts);
      const events = await this.events.report({ ...target, uid: live.uid }, status.problems);
      counts.events += events.created;
      counts.failed += events.failed;
    } catch (err) {
      this.entries.delete(key);
      if (httpStatusOf(err) === 404) {
        counts.skipped += 1;
        return;
      }
      counts.failed += 1;
      this.log.warn({ ...target, err }, `Failed to report the status of ${status.kind}`);
    }
  }

  /** What the object says: remembered, or read when unknown or when the graph's spec moved on since. */
  private async liveObject(key: string, status: ObjectStatus): Promise<LiveObject | undefined> {
    const known = this.entries.get(key);
    const model = JSON.stringify(status.model);
    if (known !== undefined && known.model === model) return known;
    const watched = this.deps.watched === undefined ? undefined : watchedObject(this.deps.watched, status.kind, status.ref);
    if (watched !== undefined && watched.model === model) {
      this.entries.set(key, watched);
      return watched;
    }
    const live = await readObject(this.api, status.kind, status.ref);
    if (live === undefined) this.entries.delete(key);
    else this.entries.set(key, live);
    return live;
  }

  private async writeStatus(key: string, status: ObjectStatus, live: LiveObject, counts: Counts): Promise<void> {
    const body = statusToApply(status, live, this.now());
    if (body === undefined) {
      counts.unchanged += 1;
      return;
    }
    const target = { kind: status.kind, namespace: status.ref.namespace ?? "", name: status.ref.name };
    await applyStatus(this.api, target, body, this.deps.fieldManager ?? FIELD_MANAGER);
    // Applying sets exactly Meridian's fields: the body is now what the object says of them.
    this.entries.set(key, { ...live, status: body });
    counts.written += 1;
    this.log.debug({ ...target, conditions: summary(status) }, `Wrote status of ${status.kind}`);
  }

  /** Objects that left the graph are forgotten: if they come back, they are read again. */
  private forgetOthers(statuses: readonly ObjectStatus[]): void {
    const current = new Set(statuses.map((s) => refKey(s.kind, s.ref)));
    for (const key of [...this.entries.keys()]) if (!current.has(key)) this.entries.delete(key);
    this.events.retain(current);
  }
}

function summary(status: ObjectStatus): string {
  return status.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`).join(" ");
}
