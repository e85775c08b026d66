// Measures how fast `meridian controller` (a child process, default settings) converges, on three
// real control planes in two regions and a real Redis, and prints one JSON line at the end:
//   node --import tsx e2e/bench/converge.ts [--trials 120] [--identities 500] [--drift-trials 20] [--debug]
// 1. cold start: N identities (each calling the next) exist before the controller starts; time from
//    its start to every member equal to the plan of the inputs;
// 2. resync: API writes of a full resync of the converged fleet (target 0) — the start-up resync of
//    the controller started again, which enqueues every key;
// 3. latency: per trial, a new workload in one cluster, timed from its first create call to the
//    moment its ServiceEntry is readable (polled every 5 ms) in the cluster of an identity that calls it,
//    and to the moment a real istiod in that cluster pushed the host, with its endpoint, to the
//    caller's sidecar (a watching xDS probe; sidecar_p50_ms, sidecar_p99_ms);
// 4. drift repair: per trial (--drift-trials, at least 20), one of those ServiceEntries deleted or
//    edited by hand, timed until Meridian's object is back (the resync is minutes away).
// With --debug the controller logs at debug level and the latency trials are broken down into steps
// (converge-breakdown.ts); debug logging costs the controller time, so targets are judged without it.
import { startIstiod, type Istiod } from "../harness/istiod.js";
import { startControllerProcess } from "../support/controller-process.js";
import type { ControllerProcess } from "../support/controller-process.js";
import { startFederation } from "../support/federation-runtime.js";
import { watchXds, type XdsWatch } from "../support/xds-probe.js";
import { breakdown } from "./converge-breakdown.js";
import { BENCH_NAMESPACE, CONVERGE_CLUSTERS, startBenchFleet, type BenchFleet, type BenchMember } from "./converge-fleet.js";
import { driftTrials } from "./converge-drift.js";
import { latencyTrials, percentile } from "./converge-latency.js";
import { converged, drained, resyncWrites, seedIdentities } from "./converge-steps.js";

function flag(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const log = (message: string): void => void process.stderr.write(`[bench:converge] ${message}\n`);

const GATEWAY_PORT = 15443;

/**
 * istiod for the callers' cluster (bench-west-a), with every member's network and gateway in its
 * meshNetworks, and the client's sidecar watching it. istiod runs with its production debounce
 * (PILOT_DEBOUNCE_AFTER 100 ms, PILOT_DEBOUNCE_MAX 10 s; see e2e/harness/istiod.ts).
 */
async function clientSidecar(fleet: BenchFleet): Promise<{ istiod: Istiod; sidecar: XdsWatch }> {
  const west = fleet.members[2] as BenchMember;
  const networks = CONVERGE_CLUSTERS.map((c) => ({ name: c.name, clusterIds: [c.name], gateways: [{ address: c.gateway, port: GATEWAY_PORT }] }));
  const istiod = await startIstiod({ kubeconfig: west.plane.info.kubeconfig, kubeConfigObject: west.plane.kubeConfig, clusterId: west.cluster, networks });
  const region = CONVERGE_CLUSTERS[2]?.region ?? "";
  const proxy = { type: "sidecar" as const, ip: "10.10.0.7", pod: "client-0", namespace: BENCH_NAMESPACE, clusterId: west.cluster, network: west.cluster, region, labels: { app: "client" } };
  try {
    return { istiod, sidecar: await watchXds({ xdsAddress: istiod.xdsAddress, proxy, clusterFilter: ".global" }) };
  } catch (err) {
    await istiod.stop();
    throw err;
  }
}

async function main(args: readonly string[]): Promise<void> {
  const trials = flag(args, "--trials", 120);
  const count = flag(args, "--identities", 500);
  const drifts = Math.max(20, flag(args, "--drift-trials", 20));
  // --debug: the controller logs at debug level, and the latency is broken down from its log (converge-breakdown.ts).
  const debug = args.includes("--debug");
  const controllerArgs = ["--log-level", debug ? "debug" : "info"];
  log("starting three control planes and Redis");
  const fleet = await startBenchFleet();
  const start = (): ControllerProcess => startControllerProcess({ homeKubeconfig: fleet.home.info.kubeconfig, redisUrl: fleet.redisUrl, args: controllerArgs });
  let controller: ControllerProcess | undefined;
  let mesh: { istiod: Istiod; sidecar: XdsWatch } | undefined;
  const federation = await startFederation(fleet.home.kubeConfig);
  try {
    log(`seeding ${count} identities`);
    const identities = new Set(await seedIdentities(fleet, count));
    const started = performance.now();
    controller = start();
    await converged({ fleet, federation, identities, controller }, 300_000);
    const coldStartMs = Math.round(performance.now() - started);
    log(`cold start converged in ${coldStartMs} ms; restarting the controller to time a full resync of the converged fleet`);
    await controller.stop();
    controller = start();
    const writes = await resyncWrites(controller);
    log(`the resync wrote ${writes} objects; running ${trials} latency trials`);
    log("starting istiod in bench-west-a and the client's sidecar (an xDS watch)");
    mesh = await clientSidecar(fleet);
    const running = controller;
    const { latencies, creations, sidecar, marks } = await latencyTrials(fleet, trials, () => drained(running), { sidecar: mesh.sidecar });
    log(`writing each workload took p50 ${percentile(creations, 50)} ms, p99 ${percentile(creations, 99)} ms of those latencies`);
    if (debug) log(`where the latency went (medians, from the controller's debug log): ${JSON.stringify(breakdown(running.logFile, marks, (fleet.members[2] as BenchMember).cluster))}`);
    await drained(running);
    log(`running ${drifts} drift-repair trials`);
    const west = fleet.members[2] as BenchMember;
    const repairs = await driftTrials(west, Array.from({ length: Math.min(trials, 10) }, (_, i) => `default.lat${i}.global-se`), drifts);
    const result = {
      bench: "converge",
      trials,
      p50_ms: percentile(latencies, 50),
      p99_ms: percentile(latencies, 99),
      sidecar_p50_ms: percentile(sidecar, 50),
      sidecar_p99_ms: percentile(sidecar, 99),
      cold_start_identities: count,
      cold_start_ms: coldStartMs,
      resync_writes: writes,
      drift_trials: drifts,
      drift_repair_p50_ms: percentile(repairs, 50),
      drift_repair_max_ms: percentile(repairs, 100),
    };
    console.log(JSON.stringify(result));
  } finally {
    federation.stop();
    await mesh?.sidecar.stop();
    await mesh?.istiod.stop();
    await controller?.stop();
    await fleet.stop();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
