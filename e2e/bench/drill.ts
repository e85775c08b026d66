// Measures failover drills run by `meridian controller` (a child process, default settings) on six
// real control planes in three regions and a real Redis, and prints one JSON line at the end:
//   node --import tsx e2e/bench/drill.ts [--identities 200] [--drills 3] [--debug]
// N identities, each running in two or three clusters in at least two regions and called from other
// clusters, converge first; then, one after another, drills evacuate us-east-1 for 10 s:
// - evacuate_ms: from the FailoverDrill's create call to its phase Holding seen (watched),
//   i.e. every affected cluster verified evacuated; the bench then reads every member's
//   ServiceEntries and fails if any endpoint is still in the region or any host has none;
// - restore_ms: from status.endsAt (Holding's end, on this machine's clock) to Completed seen, i.e.
//   restoration verified; the bench then checks every host is back to its endpoints before the drill.
// Each figure is the median over the drills (with the max); targets: each <= 5 s.
import { ensureNamespace } from "../support/federation-workloads.js";
import { printControllerLog, startControllerProcess } from "../support/controller-process.js";
import type { ControllerProcess } from "../support/controller-process.js";
import { startFederation, suffix } from "../support/federation-runtime.js";
import { startBenchFleet } from "./converge-fleet.js";
import { percentile } from "./converge-latency.js";
import { converged, drained } from "./converge-steps.js";
import { fleetEndpoints } from "./drill-endpoints.js";
import { DRILL_CLUSTERS, DRILL_REGION, seedDrillIdentities } from "./drill-fleet.js";
import { runDrill, type DrillBench, type DrillTimes } from "./drill-run.js";

const DRILL_NAMESPACE = "meridian-system";
const HOLD = "10s";
const TARGET_MS = 5_000;

function flag(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${args[i + 1]}`);
  return value;
}

const log = (message: string): void => void process.stderr.write(`[bench:drill] ${message}\n`);

async function main(args: readonly string[]): Promise<void> {
  const count = flag(args, "--identities", 200);
  const drills = flag(args, "--drills", 3);
  log(`starting ${DRILL_CLUSTERS.length} control planes in three regions and Redis`);
  const fleet = await startBenchFleet(DRILL_CLUSTERS);
  const federation = await startFederation(fleet.home.kubeConfig);
  let controller: ControllerProcess | undefined;
  try {
    log(`seeding ${count} identities`);
    const identities = new Set(await seedDrillIdentities(fleet, count));
    await ensureNamespace(fleet.home, DRILL_NAMESPACE);
    controller = startControllerProcess({ homeKubeconfig: fleet.home.info.kubeconfig, redisUrl: fleet.redisUrl, args: ["--log-level", args.includes("--debug") ? "debug" : "info"] });
    log(`controller ${controller.pid} started; its log: ${controller.logFile}`);
    await converged({ fleet, federation, identities, controller }, 300_000);
    federation.stop();
    const bench: DrillBench = { fleet, identities, namespace: DRILL_NAMESPACE, region: DRILL_REGION, duration: HOLD, baseline: await fleetEndpoints(fleet, identities) };
    log(`converged: ${bench.baseline.size} ServiceEntries in ${fleet.members.length} members; running ${drills} drills of ${DRILL_REGION} for ${HOLD}`);
    const runs = await runDrills(bench, drills, controller);
    console.log(JSON.stringify(summary(count, fleet.members.length, runs)));
  } catch (err) {
    printControllerLog(controller, 60);
    throw err;
  } finally {
    federation.stop();
    await controller?.stop();
    await fleet.stop();
  }
}

async function runDrills(bench: DrillBench, drills: number, controller: ControllerProcess): Promise<DrillTimes[]> {
  const runs: DrillTimes[] = [];
  const id = suffix();
  for (let k = 1; k <= drills; k++) {
    const times = await runDrill(bench, `bench-${id}-${k}`, log);
    log(`drill ${k}: evacuated in ${Math.round(times.evacuateMs)} ms (controller: ${times.controllerEvacuationMs} ms), restored in ${Math.round(times.restoreMs)} ms (controller: ${times.controllerRestorationMs} ms)`);
    runs.push(times);
    await drained(controller);
  }
  return runs;
}

function summary(identities: number, clusters: number, runs: readonly DrillTimes[]): Record<string, unknown> {
  const figure = (of: (run: DrillTimes) => number): number[] => runs.map((run) => Math.round(of(run)));
  const [evacuate, restore] = [figure((r) => r.evacuateMs), figure((r) => r.restoreMs)];
  const [controllerEvacuation, controllerRestoration] = [figure((r) => r.controllerEvacuationMs), figure((r) => r.controllerRestorationMs)];
  const last = runs[runs.length - 1] as DrillTimes;
  return {
    bench: "drill",
    identities,
    clusters,
    evacuate_ms: percentile(evacuate, 50),
    restore_ms: percentile(restore, 50),
    evacuate_max_ms: Math.max(...evacuate),
    restore_max_ms: Math.max(...restore),
    target_ms: TARGET_MS,
    drills: runs.length,
    evacuate_runs_ms: evacuate,
    restore_runs_ms: restore,
    controller_evacuation_ms: percentile(controllerEvacuation, 50),
    controller_evacuation_max_ms: Math.max(...controllerEvacuation),
    controller_restoration_ms: percentile(controllerRestoration, 50),
    controller_restoration_max_ms: Math.max(...controllerRestoration),
    restoring_lag_ms: percentile(figure((r) => r.restoringLagMs), 50),
    hosts: last.hosts,
    affected_clusters: last.affectedClusters.length,
    affected_identities: last.affectedIdentities,
    violations: runs.reduce((sum, r) => sum + r.violations, 0),
    unexpected_hosts: Math.max(...runs.map((r) => r.unexpectedHosts)),
  };
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
