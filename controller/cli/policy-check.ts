// `meridian policy check`: before anything is applied, reads the registered clusters (with the
// credentials stored in the home cluster, as the controller does) and the home cluster's
// TrafficPolicies, and reports each policy that cannot work as written (controller/core/policy-check.ts).
// Exit 0 when every policy is fine, 6 when any finding, as other exit codes otherwise.

import { pino } from "pino";

import { HomeObjects } from "../../federation/graph/home-objects.js";
import { IdentityGraph } from "../../federation/graph/identity-graph.js";
import { ClusterRegistry } from "../../federation/registry/cluster-registry.js";
import { loadControllerConfig } from "../config/index.js";
import { checkPolicies } from "../core/index.js";
import type { PolicyFinding } from "../core/index.js";
import type { CliIo } from "./cli-io.js";
import { parseListFlags } from "./cluster-flags.js";
import { EXIT } from "./exit-codes.js";
import { loadHomeKubeconfig } from "./kubeconfig-files.js";
import { renderData, renderTable } from "./output.js";

const SYNC_TIMEOUT_MS = 60_000;

export async function runPolicyCheck(raw: Record<string, unknown>, io: CliIo): Promise<number> {
  const options = parseListFlags(raw);
  const homeKubeConfig = loadHomeKubeconfig(options.home, io);
  const graph = new IdentityGraph();
  const log = pino({ level: "silent" });
  const registry = new ClusterRegistry({ homeKubeConfig, graph, log });
  const home = new HomeObjects({ kubeConfig: homeKubeConfig, graph, log });
  const lifetime = new AbortController();
  try {
    await Promise.all([registry.start(lifetime.signal), home.start(lifetime.signal)]);
    await synced(registry, io);
    const snapshot = graph.snapshot();
    const findings = checkPolicies({ ...snapshot, options: defaultPlannerOptions() });
    io.stdout.write(options.output === "table" ? table(findings, snapshot.policies.length) : renderData(options.output, findings));
    return findings.length === 0 ? EXIT.ok : EXIT.findings;
  } finally {
    lifetime.abort();
  }
}

/** Waits for every registered cluster's workloads; says on stderr which ones the check goes without. */
async function synced(registry: ClusterRegistry, io: CliIo): Promise<void> {
  const deadline = Date.now() + SYNC_TIMEOUT_MS;
  while (!registry.ready() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const missing = registry.clusters().filter((cluster) => !cluster.synced).map((cluster) => cluster.name);
  if (missing.length > 0) io.stderr.write(`warning: checking without the workloads of ${missing.join(", ")} (not reachable or not synced; see meridian cluster status)\n`);
}

/** The controller's default planner settings (findings do not depend on host names or namespaces). */
function defaultPlannerOptions(): { hostSuffix: string; syncNamespace: string; exportToLimit: number; gatewayNamespace: string } {
  const loaded = loadControllerConfig({}, {});
  if (!loaded.ok) throw new Error(`the controller's defaults do not load: ${loaded.errors.join("; ")}`);
  return loaded.config.planner;
}

function table(findings: readonly PolicyFinding[], policies: number): string {
  if (findings.length === 0) return `No problems found in ${policies} TrafficPolic${policies === 1 ? "y" : "ies"}.\n`;
  return renderTable(
    ["policy", "identity", "severity", "code", "message"].map((h) => h.toUpperCase()),
    findings.map((f) => [f.policy, f.identity, f.severity, f.code, f.message]),
  );
}
