// Keeps this replica's reconcile workers in step with the member clusters in the graph: a worker
// per cluster, started when the cluster joins, stopped (running jobs finish) when it leaves, as the
// graph reports it (subscribed as a change sink; no polling). Its queue stays in Redis, so a
// cluster that comes back resumes where it was. No worker runs before open(): until the controller
// has the home objects and every cluster's first sync, a reconcile would plan with partial inputs
// (a host placed only by a ServiceDependency not yet read would be deleted). A cluster this replica
// cannot reach (pending: not synced since start, or its watches failing) has no worker here, so
// another replica that reaches it takes its jobs instead of this one timing out on each.
import type { Logger } from "pino";

import type { ReconcileHandler } from "../queue/index.js";

export interface WorkerPool {
  startWorker(cluster: string, handler: ReconcileHandler): void;
  stopWorker(cluster: string): Promise<void>;
}

export interface ClusterWorkersDeps {
  readonly pool: WorkerPool;
  readonly clusters: () => readonly string[];
  /** Clusters in the graph this replica cannot reach now: no worker, nothing forgotten. */
  readonly paused?: () => readonly string[];
  readonly handler: ReconcileHandler;
  readonly log: Logger;
  /** Called with each cluster that left (metrics and written state are dropped there). */
  readonly left?: (cluster: string) => void;
}

export class ClusterWorkers {
  private readonly running = new Set<string>();
  private syncing: Promise<void> = Promise.resolve();
  private opened = false;

  constructor(private readonly deps: ClusterWorkersDeps) {}

  /** The graph's sink: only the cluster set matters here. Syncs run one after another. */
  identitiesChanged(): void {}

  allChanged(): void {}

  clustersChanged(): void {
    if (this.opened) void this.queueSync();
  }

  /** Starts following the graph: a worker for each of its clusters now, and as they join and leave. */
  open(): Promise<void> {
    this.opened = true;
    return this.queueSync();
  }

  private queueSync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.sync()).catch((err: unknown) => this.deps.log.error({ err }, "Could not start or stop a cluster's workers"));
    return this.syncing;
  }

  /** Starts and stops workers so that exactly the graph's clusters have one. */
  private async sync(): Promise<void> {
    const inGraph = new Set(this.deps.clusters());
    const paused = new Set(this.deps.paused?.() ?? []);
    for (const cluster of inGraph) {
      if (this.running.has(cluster) || paused.has(cluster)) continue;
      this.deps.pool.startWorker(cluster, this.deps.handler);
      this.running.add(cluster);
      this.deps.log.info({ cluster }, "Processing the cluster's reconcile queue");
    }
    for (const cluster of [...this.running].filter((name) => !inGraph.has(name) || paused.has(name))) {
      this.running.delete(cluster);
      await this.deps.pool.stopWorker(cluster);
      if (inGraph.has(cluster)) {
        this.deps.log.info({ cluster }, "Paused the cluster's reconcile queue: this replica does not reach the cluster now (a replica that does takes its jobs)");
        continue;
      }
      this.deps.log.info({ cluster }, "Stopped processing the cluster's reconcile queue (the cluster left)");
      this.deps.left?.(cluster);
    }
  }

  names(): string[] {
    return [...this.running].sort();
  }
}
