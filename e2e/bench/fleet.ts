// The controller at fleet scale: `meridian controller` replicas (child processes, default settings,
// sharing one Redis) on real control planes in six regions, all on this machine; prints progress on
// stderr and one JSON line at the end:
//   node --import tsx e2e/bench/fleet.ts [--clusters 16] [--identities 4000] [--workloads 12000]
//     [--hubs 8] [--replicas 2] [--churn 20] [--routing-percent 10] [--trials 40] [--changes 10]
//     [--concurrency 16] [--start-concurrency 4] [--replica-memory-mb 1024] [--no-memory-limit]
//     [--replica-node-args "--trace-gc …"] [--debug]
// Workloads (a Service with the identity label and its EndpointSlice) are spread so each identity runs
// in clusters of different regions; every identity calls one of a few hubs (so each hub has hundreds
// of callers) and two ordinary identities (fleet-topology.ts).
// 1. cold_start_ms: from starting the replicas to every member equal to the plan of the inputs;
// 2. api_requests_per_change: member requests (reads and writes, not WATCH) per single workload
//    change, one at a time on the quiet fleet (fleet-measure.ts), next to objects_changed_per_change
//    (the ServiceEntries and DestinationRules those changes wrote);
// 3. resync_requests / resync_writes: one full resync of the converged fleet, run by the leader;
// 4. change_p50_ms / change_p99_ms: a new workload from its first create call to its ServiceEntry
//    readable in a caller's cluster (converge-latency.ts), while a background churn of `--churn`
//    workload changes per second runs, `--routing-percent` of them routing changes (fleet-churn.ts);
//    churn_per_s and churn_routing_per_s are the rates it achieved;
// 5. controller_rss_mb: the largest peak RSS of any replica over the run. Each replica runs in a memory
//    cgroup limited to `--replica-memory-mb` (memory-cgroup.ts), as in a pod with that memory limit, so
//    Node sizes V8's heap from it as in production; replica_memory_limit_mb is null when the machine
//    gave no cgroup (or --no-memory-limit), and then Node sizes the heap from the machine's memory.
//    A replica that exits before the end (an OOM kill, a crash) fails the run with its log's path;
// 6. catch_ups: jobs one replica enqueued and another ran, by whether the runner's plan matched the
//    enqueuer's digest at once, after waiting, was newer (it saw a later change), or none within 250 ms,
//    with the seconds waited (all replicas).
import { loadavg } from "node:os";

import { metricSum, printControllerLog, startControllerProcess, type ControllerProcess } from "../support/controller-process.js";
import { startFederation, type RunningFederation } from "../support/federation-runtime.js";
import { startBenchFleet, type BenchFleet } from "./converge-fleet.js";
import { latencyTrials, percentile } from "./converge-latency.js";
import { converged, drained } from "./converge-steps.js";
import { startChurn, type Churn } from "./fleet-churn.js";
import { controlPlaneCpuSeconds, processStats, requestsPerChange, resyncCost } from "./fleet-measure.js";
import { createMemoryCgroup, type MemoryCgroup } from "./memory-cgroup.js";
import { seedFleet } from "./fleet-seed.js";
import { fanIn, fleetTopology, type FleetTopology, type FleetWorkload } from "./fleet-topology.js";

/** Services per cluster run into the thousands: the harness's default /24 holds about 250. */
const SERVICE_RANGE = "10.96.0.0/16";
const COLD_START_TIMEOUT_MS = 3_600_000;
/** Under churn a change can wait behind thousands of jobs: a trial fails the run only after 5 minutes. */
const TRIAL_TIMEOUT_MS = 300_000;

const FLAGS = { clusters: 16, identities: 4_000, workloads: 12_000, hubs: 8, replicas: 2, churn: 20, "routing-percent": 10, trials: 40, changes: 10, concurrency: 16, "start-concurrency": 4, "replica-memory-mb": 1_024 };
type Flags = Record<keyof typeof FLAGS, number>;

function parseFlags(args: readonly string[]): Flags {
  const flags = { ...FLAGS };
  for (const name of Object.keys(FLAGS) as (keyof typeof FLAGS)[]) {
    const i = args.indexOf(`--${name}`);
    if (i < 0) continue;
    const value = Number(args[i + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${args[i + 1]}`);
    flags[name] = value;
  }
  return flags;
}

function deferredFailure(): Run["replicaGone"] {
  let reject: (err: Error) => void = () => undefined;
  const promise = new Promise<never>((_, fail) => (reject = fail));
  promise.catch(() => undefined); // only the race in main() reports it
  return { promise, reject };
}

function stringFlag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
}

const log = (message: string): void => void process.stderr.write(`[bench:fleet ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(" ");

interface Run {
  readonly flags: Flags;
  readonly topology: FleetTopology;
  readonly fleet: BenchFleet;
  readonly controllers: ControllerProcess[];
  readonly debug: boolean;
  readonly memoryLimit: boolean;
  /** Node flags for the replicas (diagnostics such as --trace-gc, whose lines land in their logs). */
  readonly nodeArgs: readonly string[];
  readonly cgroups: MemoryCgroup[];
  /** Rejects when a replica exits before the run is over (an OOM kill, a crash): the run stops then instead of waiting out its timeouts. */
  readonly replicaGone: { readonly promise: Promise<never>; reject(err: Error): void };
  finished?: boolean;
  federation?: RunningFederation;
  churn?: Churn;
}

async function main(args: readonly string[]): Promise<void> {
  const flags = parseFlags(args);
  const topology = fleetTopology(flags);
  const hubs = [...fanIn(topology.calls)].sort((a, b) => b[1] - a[1]).slice(0, flags.hubs);
  log(`load average ${load()}; ${flags.clusters} clusters, ${topology.identities.length} identities, ${topology.workloads.length} workloads; the hubs' callers: ${hubs.map(([h, n]) => `${h} ${n}`).join(", ")}`);
  const fleet = await startBenchFleet(topology.clusters, { sharedEtcd: true, serviceClusterIpRange: SERVICE_RANGE, startConcurrency: flags["start-concurrency"], log });
  const run: Run = { flags, topology, fleet, controllers: [], debug: args.includes("--debug"), memoryLimit: !args.includes("--no-memory-limit"), nodeArgs: stringFlag(args, "--replica-node-args")?.split(/\s+/).filter(Boolean) ?? [], cgroups: [], replicaGone: deferredFailure() };
  const stopped = stopOnSignal(run);
  try {
    console.log(JSON.stringify(await Promise.race([measure(run), run.replicaGone.promise])));
  } catch (err) {
    for (const controller of run.controllers) printControllerLog(controller, 40);
    throw err;
  } finally {
    stopped.dispose();
    await stopRun(run);
  }
}

async function stopRun(run: Run): Promise<void> {
  run.finished = true;
  await run.churn?.stop();
  run.federation?.stop();
  await Promise.allSettled(run.controllers.map((c) => c.stop()));
  for (const cgroup of run.cgroups) cgroup.remove();
  await run.fleet.stop();
}

/** A full run takes tens of minutes: Ctrl-C or SIGTERM stops the replicas and control planes before exiting. */
function stopOnSignal(run: Run): { dispose(): void } {
  const handler = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping the replicas and control planes`);
    void stopRun(run).finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  return {
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}

async function measure(run: Run): Promise<Record<string, unknown>> {
  const { flags, topology, fleet } = run;
  log(`seeding (${flags.concurrency} writes at a time)`);
  const seeding = performance.now();
  await seedFleet(fleet, topology, flags.concurrency, log);
  log(`seeded in ${Math.round(performance.now() - seeding)} ms; load average ${load()}`);
  run.federation = await startFederation(fleet.home.kubeConfig);
  const coldStartMs = await coldStart(run, run.federation);
  run.federation.stop();
  const first = run.controllers[0] as ControllerProcess;
  const perChange = await requestsPerChange(fleet, first, sample(ordinary(run), flags.changes), log);
  log(`per change: ${perChange.requests} requests, ${perChange.writes} writes, ${perChange.objectsChanged} ServiceEntries and DestinationRules changed (means of ${flags.changes})`);
  const resync = await resyncCost(fleet, run.controllers, log);
  log(`full resync: ${resync.requests} requests, ${resync.writes} writes; load average ${load()}`);
  const { latencies, churn } = await latenciesUnderChurn(run, first);
  const stats = run.controllers.map((c) => processStats(c.pid));
  log(`replicas at the end: ${JSON.stringify(stats)}; load average ${load()}`);
  const gcSeconds = await Promise.all(run.controllers.map(async (c) => Math.round(await metricSum(await c.port(), "nodejs_gc_duration_seconds_sum"))));
  log(`garbage collection over the run: ${JSON.stringify(gcSeconds)} s per replica`);
  const catchUps = await catchUpCounts(run.controllers);
  log(`jobs enqueued by the other replica, over the run: ${JSON.stringify(catchUps)}`);
  return {
    bench: "fleet",
    clusters: flags.clusters,
    identities: topology.identities.length,
    workloads: topology.workloads.length,
    replicas: flags.replicas,
    cold_start_ms: coldStartMs,
    change_p50_ms: percentile(latencies, 50),
    change_p99_ms: percentile(latencies, 99),
    churn_per_s: Math.round((churn.changes / churn.seconds) * 10) / 10,
    churn_routing_per_s: Math.round((churn.routing / churn.seconds) * 10) / 10,
    resync_requests: resync.requests,
    resync_writes: resync.writes,
    controller_rss_mb: Math.max(...stats.map((s) => s.peakRssMb)),
    replica_memory_limit_mb: run.cgroups.length === flags.replicas ? flags["replica-memory-mb"] : null,
    api_requests_per_change: perChange.requests,
    objects_changed_per_change: perChange.objectsChanged,
    catch_ups: catchUps,
  };
}

/** Over every replica: jobs another replica enqueued, by outcome, with the seconds waited and how many waits ended within each bound. */
async function catchUpCounts(controllers: readonly ControllerProcess[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const add = (name: string, value: number): void => void (counts[name] = Math.round(((counts[name] ?? 0) + value) * 10) / 10);
  for (const controller of controllers) {
    const port = await controller.port();
    for (const outcome of ["matched", "waited", "newer", "gave_up"]) {
      add(outcome, await metricSum(port, "meridian_catch_up_wait_seconds_count", `outcome="${outcome}"`));
      add(`${outcome}_s`, await metricSum(port, "meridian_catch_up_wait_seconds_sum", `outcome="${outcome}"`));
    }
    for (const le of ["0.05", "0.1", "0.25", "0.5"]) add(`waited_le_${le}`, await metricSum(port, "meridian_catch_up_wait_seconds_bucket", `le="${le}"`, `outcome="waited"`));
  }
  return counts;
}

async function coldStart(run: Run, federation: RunningFederation): Promise<number> {
  const { fleet, flags } = run;
  const started = performance.now();
  const planesCpu = controlPlaneCpuSeconds();
  for (let r = 0; r < flags.replicas; r++) {
    const cgroupProcs = run.memoryLimit ? replicaCgroup(run, r)?.procsFile : undefined;
    const controller = startControllerProcess({ homeKubeconfig: fleet.home.info.kubeconfig, redisUrl: fleet.redisUrl, args: ["--log-level", run.debug ? "debug" : "info"], cgroupProcs, nodeArgs: run.nodeArgs });
    run.controllers.push(controller);
    void controller.exited.then((code) => {
      if (run.finished === true) return;
      const oomKills = run.cgroups.reduce((n, c) => n + c.oomKills(), 0);
      run.replicaGone.reject(new Error(`Replica ${controller.pid} exited (${code}) before the run was over; OOM kills in the replicas' cgroups: ${oomKills}; its log: ${controller.logFile}`));
    });
    log(`replica ${controller.pid} started; its log: ${controller.logFile}`);
  }
  await converged({ fleet, federation, identities: new Set(run.topology.identities), controller: run.controllers[0] as ControllerProcess }, COLD_START_TIMEOUT_MS);
  const ms = Math.round(performance.now() - started);
  log(`cold start converged in ${ms} ms; replicas: ${JSON.stringify(run.controllers.map((c) => processStats(c.pid)))}; the control planes used ${controlPlaneCpuSeconds() - planesCpu} s of CPU meanwhile; load average ${load()}`);
  return ms;
}

/** A memory cgroup for replica `r`, or undefined (said on stderr) when this machine gives none. */
function replicaCgroup(run: Run, r: number): MemoryCgroup | undefined {
  const limitMb = run.flags["replica-memory-mb"];
  const result = createMemoryCgroup(`meridian-bench-${process.pid}-replica-${r}`, limitMb);
  if (!result.ok) {
    log(`no memory limit for the replicas (${result.reason}); Node sizes their heap from the machine's memory`);
    return undefined;
  }
  run.cgroups.push(result.cgroup);
  log(`replica ${r} runs in a memory cgroup limited to ${limitMb} MiB`);
  return result.cgroup;
}

/** The workloads of ordinary identities (not hubs): what the churn and the per-change count change. */
function ordinary(run: Run): FleetWorkload[] {
  const hubs = new Set(run.topology.identities.slice(0, run.flags.hubs));
  return run.topology.workloads.filter((w) => !hubs.has(w.identity));
}

function sample<T>(items: readonly T[], count: number): T[] {
  const step = Math.max(1, Math.floor(items.length / count));
  return items.filter((_, i) => i % step === 0).slice(0, count);
}

async function latenciesUnderChurn(run: Run, controller: ControllerProcess): Promise<{ latencies: number[]; churn: { changes: number; routing: number; seconds: number } }> {
  const { fleet, flags } = run;
  log(`${flags.trials} latency trials under a churn of ${flags.churn} workload changes/s (${flags["routing-percent"]}% of them routing changes)`);
  const startChurnOnceDrained = async (): Promise<void> => {
    await drained(controller);
    run.churn = startChurn(fleet, ordinary(run), { perSecond: flags.churn, routingShare: Math.min(100, flags["routing-percent"]) / 100 }, log);
  };
  const { latencies, creations } = await latencyTrials(fleet, flags.trials, startChurnOnceDrained, { timeoutMs: TRIAL_TIMEOUT_MS });
  const churn = await (run.churn as Churn).stop();
  run.churn = undefined;
  log(`latency p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms (writing each workload: p50 ${percentile(creations, 50)} ms); churn ${JSON.stringify(churn)}`);
  return { latencies, churn };
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
