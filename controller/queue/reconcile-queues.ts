// The only file that knows BullMQ. One reconcile queue per member cluster (see queue-keys.ts):
// keys are coalesced while waiting, a key that changes while its job runs gets exactly one
// follow-up run (deduplication with keepLastIfActive — a bare jobId loses those updates), a job
// waiting to retry runs at once when its key is enqueued again (reschedule), failures retry with
// exponential backoff and jitter, and a PermanentReconcileError is recorded as failed and not retried. Construction does no I/O; queues and workers open on first use.
import { Queue, UnrecoverableError, Worker } from "bullmq";
import type { Job, JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";

import { isRedisConnectionError } from "../redis/redis-errors.js";
import { QUEUE_PREFIX, reconcileDeduplicationId, reconcileQueueName } from "./queue-keys.js";
import type { QueueSettings } from "./queue-settings.js";
import { PermanentReconcileError } from "./reconcile-job.js";
import type { PlannedKey, ReconcileJobData } from "./reconcile-job.js";

export type ReconcileHandler = (job: ReconcileJobData) => Promise<void>;

export interface ReconcileQueuesDeps {
  /** A connection for queue commands, shared by every queue of this process. */
  readonly commands: Redis;
  /** Makes a connection for a worker (BullMQ needs `maxRetriesPerRequest: null` there). */
  readonly workerConnection: () => Redis;
  readonly settings: QueueSettings;
  readonly log: Logger;
  readonly now: () => number;
}

export interface EnqueueOptions {
  /**
   * Background work (resyncs): queued behind every change-driven job, so a full resync of thousands
   * of keys does not delay the key a change just touched. (BullMQ takes jobs without a priority
   * before prioritized ones.)
   */
  readonly background?: boolean;
}

export interface QueueStats {
  readonly cluster: string;
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  /** Age of the oldest waiting job in ms (0 when none waits). */
  readonly oldestWaitingMs: number;
}

const JOB_NAME = "reconcile";
const BACKGROUND_PRIORITY = 100;
const STALLED_LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;
const ENQUEUE_SLICE = 2_000;

export class ReconcileQueues {
  private readonly queues = new Map<string, Queue<ReconcileJobData>>();
  private readonly workers = new Map<string, { worker: Worker<ReconcileJobData>; connection: Redis }>();

  constructor(private readonly deps: ReconcileQueuesDeps) {}

  /**
   * Enqueues keys; repeated keys coalesce per cluster and identity. At most ENQUEUE_SLICE keys are in
   * flight at once: a start-up or full resync enqueues every key of the fleet (64,000 at 16 clusters
   * × 4,000 identities), and BullMQ holds each job's data, options and command until Redis answers.
   */
  async enqueue(keys: readonly PlannedKey[], cause: string, options: EnqueueOptions = {}): Promise<void> {
    const observedAt = this.deps.now();
    for (let start = 0; start < keys.length; start += ENQUEUE_SLICE) {
      const byCluster = new Map<string, PlannedKey[]>();
      for (const key of keys.slice(start, start + ENQUEUE_SLICE)) {
        const clusterKeys = byCluster.get(key.cluster);
        if (clusterKeys === undefined) byCluster.set(key.cluster, [key]);
        else clusterKeys.push(key);
      }
      await Promise.all(
        [...byCluster].map(([cluster, clusterKeys]) =>
          this.queue(cluster).addBulk(clusterKeys.map((key) => ({ name: JOB_NAME, data: { ...key, observedAt, cause }, opts: this.jobOptions(key, options) }))),
        ),
      );
    }
  }

  /** Starts processing a cluster's queue in this process (idempotent). */
  startWorker(cluster: string, handler: ReconcileHandler): void {
    if (this.workers.has(cluster)) {
      return;
    }
    const { settings } = this.deps;
    const connection = this.deps.workerConnection();
    const worker = new Worker<ReconcileJobData>(reconcileQueueName(cluster), (job) => runHandler(handler, job), {
      connection,
      prefix: QUEUE_PREFIX,
      concurrency: settings.concurrencyPerCluster,
      // A replica that dies holding a job loses its lock after lockDuration; another worker (or the
      // restarted one) moves the job back to waiting at its next stalled check. Reconciles take
      // milliseconds, so short values bring those keys back quickly (BullMQ's defaults: 30 s each).
      lockDuration: STALLED_LOCK_MS,
      stalledInterval: STALLED_CHECK_MS,
      limiter: { max: settings.rateLimitJobs, duration: settings.rateLimitWindowMs },
    });
    worker.on("failed", (job, err) => this.logFailure(cluster, job, err));
    worker.on("error", (err) => this.logError(cluster, err, "Reconcile worker reported an error"));
    this.workers.set(cluster, { worker, connection });
  }

  /** Stops processing a cluster's queue here; running jobs finish first. Waiting jobs stay in Redis. */
  async stopWorker(cluster: string): Promise<void> {
    const entry = this.workers.get(cluster);
    if (entry === undefined) {
      return;
    }
    this.workers.delete(cluster);
    await entry.worker.close();
    await entry.connection.quit().catch(() => undefined);
  }

  async stats(clusters: readonly string[]): Promise<QueueStats[]> {
    return Promise.all(clusters.map((cluster) => this.clusterStats(cluster)));
  }

  /** Finishes running jobs, stops every worker and closes the queues. The shared connection is the caller's. */
  async close(): Promise<void> {
    await Promise.all([...this.workers.keys()].map((cluster) => this.stopWorker(cluster)));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }

  private queue(cluster: string): Queue<ReconcileJobData> {
    let queue = this.queues.get(cluster);
    if (queue === undefined) {
      queue = new Queue<ReconcileJobData>(reconcileQueueName(cluster), { connection: this.deps.commands, prefix: QUEUE_PREFIX });
      // Without a listener BullMQ prints each error of the shared connection to stderr as a raw,
      // multi-line dump (its emit catches the unhandled 'error' and calls console.error).
      queue.on("error", (err) => this.logError(cluster, err, "Reconcile queue reported an error"));
      this.queues.set(cluster, queue);
    }
    return queue;
  }

  /** Redis unreachable is logged once by the shared connection and shown by /readyz: each worker's and queue's retry only at debug. */
  private logError(cluster: string, err: Error, message: string): void {
    if (isRedisConnectionError(err)) this.deps.log.debug({ cluster, err }, message);
    else this.deps.log.warn({ cluster, err }, message);
  }

  private jobOptions(key: PlannedKey, options: EnqueueOptions): JobsOptions {
    const { settings } = this.deps;
    return {
      ...(options.background === true ? { priority: BACKGROUND_PRIORITY } : {}),
      // reschedule: a job waiting in retry backoff (delayed) runs at once when the key is enqueued
      // again (the newer add has no delay): the latest desired state wins as soon as the member
      // answers. The job is level-triggered, so its older data does not matter.
      deduplication: { id: reconcileDeduplicationId(key.identity), keepLastIfActive: true, reschedule: true },
      attempts: settings.attempts,
      backoff: { type: "exponential", delay: settings.backoffMs, jitter: settings.backoffJitter },
      removeOnComplete: true,
      removeOnFail: { count: settings.keepFailed },
    };
  }

  private async clusterStats(cluster: string): Promise<QueueStats> {
    const queue = this.queue(cluster);
    const counts = await queue.getJobCounts("waiting", "prioritized", "active", "delayed", "failed");
    // The oldest change-driven job, else the first background one (they run in priority order).
    const [firstWaiting] = await queue.getWaiting(0, 0);
    const oldest = firstWaiting ?? (await queue.getPrioritized(0, 0))[0];
    return {
      cluster,
      // Background (prioritized) jobs wait too.
      waiting: (counts["waiting"] ?? 0) + (counts["prioritized"] ?? 0),
      active: counts["active"] ?? 0,
      delayed: counts["delayed"] ?? 0,
      failed: counts["failed"] ?? 0,
      oldestWaitingMs: oldest === undefined ? 0 : Math.max(0, this.deps.now() - oldest.timestamp),
    };
  }

  private logFailure(cluster: string, job: Job<ReconcileJobData> | undefined, err: Error): void {
    const identity = job?.data.identity;
    const attempts = job?.attemptsMade ?? 0;
    const gaveUp = err instanceof UnrecoverableError || attempts >= this.deps.settings.attempts;
    const fields = { cluster, identity, attempts, err };
    if (gaveUp) {
      this.deps.log.error(fields, "Gave up reconciling identity");
    } else {
      this.deps.log.warn(fields, "Reconcile failed; will retry");
    }
  }
}

async function runHandler(handler: ReconcileHandler, job: Job<ReconcileJobData>): Promise<void> {
  try {
    await handler(job.data);
  } catch (err) {
    if (err instanceof PermanentReconcileError) {
      throw new UnrecoverableError(err.message);
    }
    throw err;
  }
}
