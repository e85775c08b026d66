// What `--keep` prints once everything runs: how to reach each piece, what to try, how to stop it.
import { renderTable } from "../../controller/cli/output.js";
import type { TestRedis } from "../harness/index.js";
import type { DemoController } from "./controller.js";
import type { RunningCluster } from "./fleet.js";
import { indent } from "./report.js";
import { SCENARIO, SYNC_NAMESPACE } from "./scenario.js";

export interface KeepInput {
  readonly clusters: readonly RunningCluster[];
  readonly home: RunningCluster;
  readonly redis: TestRedis;
  readonly controller: DemoController;
  readonly demoPid: number;
}

/** Every process the demo started, by PID (what Ctrl-C stops). */
export function processRows(input: KeepInput): string[][] {
  const planes = input.clusters.flatMap(({ cluster, plane }) => plane.processes.map((process) => [String(process.pid), `${process.name} of ${cluster.name}`]));
  const redis = input.redis.pid === undefined ? [] : [[String(input.redis.pid), `redis-server ${input.redis.url}`]];
  return [[String(input.controller.pid), "meridian controller"], ...redis, ...planes];
}

export function renderKeepInstructions(input: KeepInput): string {
  const { home, controller } = input;
  const kubeconfigs = input.clusters.map(({ cluster, plane }) => [cluster.name, plane.server, plane.kubeconfig + (cluster.name === SCENARIO.home ? "   (home cluster)" : "")]);
  const url = `http://127.0.0.1:${controller.port}`;
  const first = input.clusters[0];
  return [
    "Everything keeps running (--keep). Ctrl-C here stops it all.",
    "",
    indent(renderTable(["CLUSTER", "SERVER", "KUBECONFIG"], kubeconfigs)),
    "",
    `    Redis        ${input.redis.url}`,
    `    Controller   PID ${controller.pid}; ${url}/metrics, ${url}/readyz, ${url}/healthz`,
    `                 log (JSON lines): ${controller.logFile}`,
    "",
    "Try:",
    ...input.clusters.map(({ plane }) => `    kubectl --kubeconfig ${plane.kubeconfig} -n ${SYNC_NAMESPACE} get serviceentries,destinationrules -o yaml`),
    `    npm run meridian -- cluster list --home-kubeconfig ${home.plane.kubeconfig}`,
    `    npm run meridian -- cluster status ${first?.cluster.name ?? SCENARIO.home} --home-kubeconfig ${home.plane.kubeconfig}`,
    `    curl -s ${url}/metrics | grep -E '^meridian_(reconciles|api_writes)_total'`,
    "",
    `Stop: Ctrl-C here, or kill -TERM ${input.demoPid} (the demo's PID): stops the controller, then the control planes and Redis.`,
    "Processes the demo started:",
    indent(renderTable(["PID", "WHAT"], processRows(input))),
  ].join("\n");
}
