// The demo's failover drill, all through the CLI: `meridian drill plan` for one region, `meridian
// drill start` for a few seconds, the routes every cluster has while the drill holds (read from the
// clusters, and what the callers' sidecars get from istiod), then `meridian drill report` once the controller has restored them.
import { waitUntil } from "../harness/wait-until.js";
import { meridian } from "../support/meridian-cli.js";
import { readClusterObjects } from "./convergence.js";
import { DemoError } from "./demo-error.js";
import type { RunningCluster } from "./fleet.js";
import { renderRoutes } from "./report.js";

export const DEMO_DRILL = { name: "evacuate-eu-west-1", namespace: "meridian-system", region: "eu-west-1", duration: "10s" } as const;

export interface DemoDrillResult {
  /** `meridian drill plan` output. */
  readonly plan: string;
  /** Per cluster, each ServiceEntry's endpoints while the drill holds. */
  readonly during: string;
  /** What `whileHolding` returned: the sidecars' view during the drill. */
  readonly sidecars: readonly string[];
  /** `meridian drill report` output. */
  readonly report: string;
  readonly phase: string;
}

const DRILL_TIMEOUT_MS = 60_000;
const ENDED: readonly string[] = ["Completed", "Aborted", "Failed", "Refused"];

export async function runDemoDrill(clusters: readonly RunningCluster[], home: RunningCluster, whileHolding: () => Promise<string[]>): Promise<DemoDrillResult> {
  const homeFlags = ["--home-kubeconfig", home.plane.kubeconfig];
  const plan = await cli("drill", "plan", "--region", DEMO_DRILL.region, "--duration", DEMO_DRILL.duration, ...homeFlags);
  await cli("drill", "start", "--region", DEMO_DRILL.region, "--duration", DEMO_DRILL.duration, "--name", DEMO_DRILL.name, "--namespace", DEMO_DRILL.namespace, ...homeFlags);
  await waitForPhase(homeFlags, ["Holding"]);
  const during = renderRoutes(await Promise.all(clusters.map(readClusterObjects)));
  const sidecars = await whileHolding();
  const phase = await waitForPhase(homeFlags, ENDED);
  const report = await cli("drill", "report", DEMO_DRILL.name, "--namespace", DEMO_DRILL.namespace, ...homeFlags);
  return { plan, during, sidecars, report, phase };
}

async function cli(...argv: string[]): Promise<string> {
  const run = await meridian(...argv);
  if (run.code !== 0) throw new DemoError(`meridian ${argv.slice(0, 2).join(" ")} failed (exit ${run.code}): ${run.stderr.trim()}`);
  return run.stdout;
}

/** Polls `meridian drill status --once -o json` until the drill is in one of `phases` (or ended); returns its phase. */
async function waitForPhase(homeFlags: readonly string[], phases: readonly string[]): Promise<string> {
  let drill: { phase?: string; reason?: string | null } = {};
  const read = async (): Promise<boolean> => {
    drill = JSON.parse(await cli("drill", "status", DEMO_DRILL.name, "--namespace", DEMO_DRILL.namespace, "--once", "-o", "json", ...homeFlags)) as typeof drill;
    return phases.includes(drill.phase ?? "") || ENDED.includes(drill.phase ?? "");
  };
  try {
    await waitUntil(read, { what: `the drill in ${phases.join(" or ")}`, timeoutMs: DRILL_TIMEOUT_MS, intervalMs: 100 });
  } catch (err) {
    throw new DemoError(`The drill did not reach ${phases.join(" or ")}: last phase ${drill.phase ?? "none"} ${drill.reason ?? ""}`, { cause: err });
  }
  if (!phases.includes(drill.phase ?? "")) throw new DemoError(`The drill ended ${drill.phase ?? "?"} before ${phases.join(" or ")}: ${drill.reason ?? "no reason given"}`);
  return drill.phase ?? "";
}
