// The demo's failover drill: `meridian drill plan` for one region, `meridian drill start` for a few
// seconds, the routes every cluster has while the drill holds (read from the clusters), then
// `meridian drill report` once the controller has restored them.
import { CustomObjectsApi } from "@kubernetes/client-node";

import { GROUP, VERSION } from "../../crds/index.js";
import type { FailoverDrillStatus } from "../../crds/index.js";
import { waitUntil } from "../harness/wait-until.js";
import { meridian } from "../support/meridian-cli.js";
import { readClusterObjects } from "./convergence.js";
import { DemoError } from "./demo-error.js";
import type { RunningCluster } from "./fleet.js";
import { renderRoutes } from "./report.js";

export const DEMO_DRILL = { name: "evacuate-eu-west-1", namespace: "meridian-system", region: "eu-west-1", duration: "5s" } as const;

export interface DemoDrillResult {
  /** `meridian drill plan` output. */
  readonly plan: string;
  /** Per cluster, each ServiceEntry's endpoints while the drill holds. */
  readonly during: string;
  /** `meridian drill report` output. */
  readonly report: string;
  readonly phase: string;
}

const DRILL_TIMEOUT_MS = 60_000;

export async function runDemoDrill(clusters: readonly RunningCluster[], home: RunningCluster): Promise<DemoDrillResult> {
  const homeFlags = ["--home-kubeconfig", home.plane.kubeconfig];
  const plan = await cli("drill", "plan", "--region", DEMO_DRILL.region, "--duration", DEMO_DRILL.duration, ...homeFlags);
  await cli("drill", "start", "--region", DEMO_DRILL.region, "--duration", DEMO_DRILL.duration, "--name", DEMO_DRILL.name, "--namespace", DEMO_DRILL.namespace, ...homeFlags);
  await waitForPhase(home, ["Holding"]);
  const during = renderRoutes(await Promise.all(clusters.map(readClusterObjects)));
  const phase = await waitForPhase(home, ["Completed", "Aborted", "Failed"]);
  const report = await cli("drill", "report", DEMO_DRILL.name, "--namespace", DEMO_DRILL.namespace, ...homeFlags);
  return { plan, during, report, phase };
}

async function cli(...argv: string[]): Promise<string> {
  const run = await meridian(...argv);
  if (run.code !== 0) throw new DemoError(`meridian ${argv.slice(0, 2).join(" ")} failed (exit ${run.code}): ${run.stderr.trim()}`);
  return run.stdout;
}

async function waitForPhase(home: RunningCluster, phases: readonly string[]): Promise<string> {
  const api = home.kubeConfig.makeApiClient(CustomObjectsApi);
  let status: FailoverDrillStatus | undefined;
  const read = async (): Promise<boolean> => {
    const drill = (await api.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: "failoverdrills", namespace: DEMO_DRILL.namespace, name: DEMO_DRILL.name })) as { status?: FailoverDrillStatus };
    status = drill.status;
    return phases.includes(status?.phase ?? "") || ["Refused", "Failed"].includes(status?.phase ?? "");
  };
  try {
    await waitUntil(read, { what: `the drill in ${phases.join(" or ")}`, timeoutMs: DRILL_TIMEOUT_MS, intervalMs: 100 });
  } catch (err) {
    throw new DemoError(`The drill did not reach ${phases.join(" or ")}: last phase ${status?.phase ?? "none"} ${status?.reason ?? ""}`, { cause: err });
  }
  return status?.phase ?? "";
}
