// `meridian controller` as one object: configuration in, a running controller out. It wires the
// federation (cluster registry, home objects, identity graph) to the queues, the queues to the
// reconciler (a worker per cluster, started, paused and stopped as the graph reports clusters
// joining, becoming pending for this replica, and leaving), and adds the periodic duties: metrics on
// every replica, full resync and status on the leader only. stop() shuts down in the reverse order,
// finishing running jobs (waiting ones stay in Redis for the next replica).
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { HomeObjects } from "../../federation/graph/home-objects.js";
import { IdentityGraph } from "../../federation/graph/identity-graph.js";
import { ClusterRegistry } from "../../federation/registry/cluster-registry.js";
import type { ControllerConfig } from "../config/index.js";
import { HealthServer, createMetrics, forgetCluster } from "../observability/index.js";
import type { Listening, MeridianMetrics } from "../observability/index.js";
import { ReconcileQueues, SharedWriteRate, WrittenState, lastResyncKey } from "../queue/index.js";
import { connectRedis } from "../redis/index.js";
import type { RedisConnections } from "../redis/index.js";
import { MemberObjectCache } from "../reconcile/member-object-cache.js";
import { PlannerCache } from "../reconcile/planner-cache.js";
import { Reconciler } from "../reconcile/reconciler.js";
import { desiredDigest, planDigest } from "../reconcile/desired-digest.js";
import { ChangeTimes } from "./change-times.js";
import { StatusReporter } from "../status/index.js";
import { DrillRunner } from "../drills/drill-runner.js";
import { ClusterWorkers } from "./cluster-workers.js";
import { fullResync } from "./full-resync.js";
import type { FullResyncDeps } from "./full-resync.js";
import type { ClusterName } from "../../federation/graph-model.js";
import { Backlog } from "./backlog.js";
import { KeyEnqueuer } from "./key-enqueuer.js";
import { LeaderDuties } from "./leader-duties.js";
import { LeaderLease } from "./leader-lease.js";
import { Periodic } from "./periodic.js";
import { readiness } from "./readiness.js";
import { recordFleetMetrics } from "./fleet-metrics.js";

/** How often the leader checks whether a resync is due and reports status. */
const LEADER_INTERVAL_MS = 2_000;
/** How often the leader moves drills on: verification and phase changes wait at most this long. */
const DRILL_INTERVAL_MS = 250;

export interface ControllerDeps {
  readonly log: Logger;
  readonly homeKubeConfig: KubeConfig;
  /** Directories searched for redis-server when no Redis URL is configured. */
  readonly searchPath: readonly string[];
  /** This replica's name in the leader Lease, e.g. `hostname-pid`. */
  readonly holder: string;
}

export interface RunningController {
  readonly http: Listening;
  /** Graceful: stops watching, finishes running jobs, releases the Lease, closes Redis. Idempotent. */
  stop(): Promise<void>;
}

export async function startController(config: ControllerConfig, deps: ControllerDeps): Promise<RunningController> {
  const { log } = deps;
  const redis = await connectRedis({ url: config.redis.url, tlsCaFile: config.redis.tlsCaFile, log, startLocal: { searchPath: deps.searchPath } });
  if (redis.localServer !== undefined) {
    log.warn({ redis: redis.displayUrl, pid: redis.localServer.pid }, "No Redis URL given: started a private local redis-server; its queues are not shared with other replicas and are lost on exit");
  }
  try {
    return await wire(config, deps, redis);
  } catch (err) {
    await redis.close();
    throw err;
  }
}

async function wire(config: ControllerConfig, deps: ControllerDeps, redis: RedisConnections): Promise<RunningController> {
  const { log, homeKubeConfig } = deps;
  const lifetime = new AbortController();
  const metrics = createMetrics();
  const graph = new IdentityGraph();
  const planner = new PlannerCache(graph, config.planner);
  const queues = new ReconcileQueues({ commands: redis.commands, workerConnection: redis.workerConnection, settings: config.queue, log, now: Date.now });
  const written = new WrittenState(redis.pipelined);
  // MeshCluster statuses from the leader only: replicas that see a member differently would overwrite each other.
  const registry = new ClusterRegistry({ homeKubeConfig, graph, log, namespace: config.home.namespace, syncNamespace: config.planner.syncNamespace, identity: config.identity, writesStatus: () => lease.isLeader() });
  // The drill loop runs as soon as a FailoverDrill changes (it is built below, once its parts are).
  const drillWake: { loop?: Periodic } = {};
  const home = new HomeObjects({ kubeConfig: homeKubeConfig, graph, log, drillsChanged: () => void drillWake.loop?.runNow() });
  const changedByOthers = (cluster: string, identity: string): void => void enqueueDrift({ backlog, planDigestOf, replica: deps.holder, log }, cluster, identity);
  const memberObjects = new MemberObjectCache({ namespace: config.planner.syncNamespace, log, changedByOthers });
  const pendingClusters = (): ReadonlySet<string> => new Set(graph.pendingClusters());
  const changeTimes = new ChangeTimes();
  graph.subscribe(changeTimes);
  const lastChangeOf = (identity: string): number => changeTimes.lastChangeOf(identity);
  const reconciler = new Reconciler({ planner, clusters: registry, log, metrics, writeRate: new SharedWriteRate(redis.commands, config.writeLimit), written, replica: deps.holder, memberObjects, pendingClusters, lastChangeOf });
  const clusters = (): string[] => graph.clusterNames();
  const identities = (): string[] => planner.identities();
  const planDigestOf = (cluster: string, identity: string): string => planDigest(planner.desiredFor(cluster, identity).objects);
  // Subscribed before the watches start, so the first joins are enqueued too.
  const backlog = new Backlog(queues);
  const enqueuer = new KeyEnqueuer({ queues: backlog, clusters, identities, placedIn: (identity) => planner.placedIn(identity), planDigestOf, replica: deps.holder, log });
  graph.subscribe(enqueuer);
  const resyncDeps = { queues: backlog, clusters, identities, planDigestOf, replica: deps.holder, kubeConfigOf: (name: ClusterName) => registry.kubeConfigOf(name), syncNamespace: config.planner.syncNamespace, log, metrics, ownedIn: (cluster: string) => memberObjects.ownedIn(cluster) };
  const resync = (cause: string): Promise<number> => recordedResync(resyncDeps, redis, cause);
  const workers = clusterWorkers({ graph, queues, reconciler, log, forget: (cluster) => Promise.all([memberObjects.forget(cluster), forgetCluster(metrics, cluster), written.forget(cluster)]) });
  const http = await new HealthServer({ listen: config.http, registry: metrics.registry, readiness: () => readiness(registry, home), redis: redis.commands, log }).start(lifetime.signal);
  const lease = new LeaderLease({ kubeConfig: homeKubeConfig, namespace: config.home.namespace, name: config.lease.name, holder: deps.holder, durationMs: config.lease.durationMs, log, changed: (leader) => leader && registry.statusWritesResumed() });
  const status = new StatusReporter({ homeKubeConfig, graph, planner, written, log, watched: home });
  const duties = new LeaderDuties({ lastResyncAt: () => lastResyncAt(redis), resync, resyncIntervalMs: config.resyncIntervalMs, isLeader: () => lease.isLeader(), log, status, backlog: () => backlog.jobs });
  const bookkeeping = new Periodic("metrics bookkeeping", 1_000, () => backlog.recount(() => bookkeep({ clusters, metrics, queues, registry })), log);
  const leaderLoop = new Periodic("leader duties", LEADER_INTERVAL_MS, () => duties.run(), log);
  const drillLoop = (drillWake.loop = drillDuties({ config, homeKubeConfig, graph, registry, home, planner, written, metrics, log, isLeader: () => lease.isLeader() }));
  lease.start();
  await Promise.all([registry.start(lifetime.signal), home.start(lifetime.signal)]);
  await workers.open();
  bookkeeping.start();
  leaderLoop.start();
  drillLoop.start();
  void startupResync({ registry, home, resync, log, signal: lifetime.signal });
  log.info({ holder: deps.holder, http: `${http.address}:${http.port}` }, "Controller started");
  const stop = once(async () => {
    log.info("Stopping: finishing running reconciles");
    await Promise.all([bookkeeping.stop(), leaderLoop.stop(), drillLoop.stop()]);
    await enqueuer.close();
    lifetime.abort();
    await queues.close();
    memberObjects.stop();
    await lease.stop();
    await http.closed;
    await redis.close();
    log.info("Stopped");
  });
  return { http, stop };
}

interface DrillParts {
  readonly config: ControllerConfig;
  readonly homeKubeConfig: KubeConfig;
  readonly graph: IdentityGraph;
  readonly registry: ClusterRegistry;
  readonly home: HomeObjects;
  readonly planner: PlannerCache;
  readonly written: WrittenState;
  readonly metrics: MeridianMetrics;
  readonly log: Logger;
  readonly isLeader: () => boolean;
}

/** The leader's drill loop; a replica that does not lead forgets the drills' phase metrics. */
function drillDuties(parts: DrillParts): Periodic {
  const { registry, home, graph } = parts;
  const drills = new DrillRunner({
    homeKubeConfig: parts.homeKubeConfig,
    snapshot: () => graph.snapshot(),
    plannerOptions: parts.config.planner,
    kubeConfigOf: (name) => registry.kubeConfigOf(name),
    fleetReady: () => registry.ready() && home.synced(),
    drills: () => home.drills(),
    written: async (cluster, identities) => {
      const digests = await parts.written.digests(cluster);
      return identities.every((identity) => digests.get(identity) === desiredDigest(parts.planner.desiredFor(cluster, identity).objects));
    },
    metrics: parts.metrics,
    log: parts.log,
  });
  const loop: Periodic = new Periodic(
    "failover drills",
    DRILL_INTERVAL_MS,
    async () => {
      if (!parts.isLeader()) return drills.forget();
      const holdEnds = await drills.run();
      if (holdEnds !== undefined) loop.runAt(holdEnds);
    },
    parts.log,
  );
  return loop;
}

/** A full resync, its time recorded in Redis: any replica's resync counts, so the leader's next one is due an interval later. */
async function recordedResync(deps: FullResyncDeps, redis: RedisConnections, cause: string): Promise<number> {
  const keys = await fullResync(deps, cause);
  await redis.commands.set(lastResyncKey(), String(Date.now()));
  return keys;
}

/** One key, because someone other than Meridian changed or deleted one of its objects in the cluster. */
async function enqueueDrift(parts: { backlog: Backlog; planDigestOf: (cluster: string, identity: string) => string; replica: string; log: Logger }, cluster: string, identity: string): Promise<void> {
  const key = { cluster, identity, planDigest: parts.planDigestOf(cluster, identity), enqueuedBy: parts.replica };
  try {
    await parts.backlog.enqueue([key], "drift");
    parts.log.debug({ cluster, identity }, "Enqueued a repair of objects changed by someone else");
  } catch (err) {
    parts.log.warn({ err, cluster, identity }, "Could not enqueue a repair; the next resync covers it");
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}

interface StartupResync {
  readonly registry: ClusterRegistry;
  readonly home: HomeObjects;
  readonly resync: (cause: string) => Promise<number>;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/**
 * Every replica enqueues every key once its caches hold the whole fleet (or after a minute, with
 * whatever has synced): work lost when a replica died, or when Redis was flushed, is redone.
 */
async function startupResync(s: StartupResync): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!s.signal.aborted && !(s.registry.ready() && s.home.synced()) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (s.signal.aborted) return;
  await s.resync("start").catch((err: unknown) => s.log.error({ err }, "The start-up resync failed; the leader's next resync will cover it"));
}

/**
 * A worker per cluster of the graph, subscribed to it: started when the cluster joins, paused while
 * it is pending for this replica, stopped when it leaves (then `forget` drops what was kept for it).
 */
function clusterWorkers(parts: { graph: IdentityGraph; queues: ReconcileQueues; reconciler: Reconciler; log: Logger; forget: (cluster: string) => Promise<unknown> }): ClusterWorkers {
  const { graph, reconciler } = parts;
  const workers = new ClusterWorkers({
    pool: parts.queues,
    clusters: () => graph.clusterNames(),
    paused: () => graph.pendingClusters(),
    handler: async (job) => void (await reconciler.reconcile(job)),
    log: parts.log,
    left: (cluster) => void parts.forget(cluster).catch(() => undefined),
  });
  graph.subscribe(workers);
  return workers;
}

/** The fleet's metrics; returns the reconciles waiting or running in every queue. */
async function bookkeep(parts: { clusters: () => string[]; metrics: MeridianMetrics; queues: ReconcileQueues; registry: ClusterRegistry }): Promise<number> {
  return recordFleetMetrics({ metrics: parts.metrics, queues: parts.queues, registry: parts.registry, clusters: parts.clusters() });
}

/** When any replica last resynced (recorded in Redis), or undefined when nothing is recorded. */
async function lastResyncAt(redis: RedisConnections): Promise<number | undefined> {
  const last = Number(await redis.commands.get(lastResyncKey()));
  return Number.isFinite(last) && last > 0 ? last : undefined;
}
