// The identity graph as the controller would see it, read once for a CLI command: the registered
// clusters (with the credentials stored in the home cluster) and the home cluster's
// ServiceDependencies, TrafficPolicies and FailoverDrills. Clusters that do not sync in time are
// named on stderr and left out.

import type { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";

import { HomeObjects } from "../../federation/graph/home-objects.js";
import { IdentityGraph } from "../../federation/graph/identity-graph.js";
import type { GraphSnapshot } from "../../federation/graph/model.js";
import { ClusterRegistry } from "../../federation/registry/cluster-registry.js";
import { loadControllerConfig } from "../config/index.js";
import type { PlanInput } from "../core/index.js";
import type { CliIo } from "./cli-io.js";

const SYNC_TIMEOUT_MS = 60_000;

export async function readFleet(homeKubeConfig: KubeConfig, io: CliIo): Promise<PlanInput> {
  const graph = new IdentityGraph();
  const log = pino({ level: "silent" });
  const registry = new ClusterRegistry({ homeKubeConfig, graph, log });
  const home = new HomeObjects({ kubeConfig: homeKubeConfig, graph, log });
  const lifetime = new AbortController();
  try {
    await Promise.all([registry.start(lifetime.signal), home.start(lifetime.signal)]);
    await synced(registry, io);
    const snapshot: GraphSnapshot = graph.snapshot();
    return { ...snapshot, options: defaultPlannerOptions() };
  } finally {
    lifetime.abort();
  }
}

async function synced(registry: ClusterRegistry, io: CliIo): Promise<void> {
  const deadline = Date.now() + SYNC_TIMEOUT_MS;
  while (!registry.ready() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const missing = registry.clusters().filter((cluster) => !cluster.synced).map((cluster) => cluster.name);
  if (missing.length > 0) io.stderr.write(`warning: going on without the workloads of ${missing.join(", ")} (not reachable or not synced; see meridian cluster status)\n`);
}

/** The controller's default planner settings (these commands' answers do not depend on host names or namespaces). */
function defaultPlannerOptions(): PlanInput["options"] {
  const loaded = loadControllerConfig({}, {});
  if (!loaded.ok) throw new Error(`the controller's defaults do not load: ${loaded.errors.join("; ")}`);
  return loaded.config.planner;
}
