// The identity graph as the controller would see it, read once for a read-only command (`policy
// check`, `drill plan`): the registered clusters (with the credentials stored in the home cluster)
// and the home cluster's ServiceDependencies, TrafficPolicies and FailoverDrills. The registry only
// observes: no MeshCluster status, no review, no write of any kind to any cluster. Identities, envs
// and hosts are derived with the controller's settings, read from the same flags' environment
// variables the controller reads (MERIDIAN_IDENTITY_LABEL, MERIDIAN_HOST_SUFFIX, …). Clusters that do
// not sync in time are named on stderr and left out.

import type { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";

import { HomeObjects } from "../../federation/graph/home-objects.js";
import { IdentityGraph } from "../../federation/graph/identity-graph.js";
import type { GraphSnapshot } from "../../federation/graph/model.js";
import type { IdentityOptions } from "../../federation/identity.js";
import { ClusterRegistry } from "../../federation/registry/cluster-registry.js";
import { loadControllerConfig, SETTINGS } from "../config/index.js";
import type { Env, SettingKey } from "../config/index.js";
import type { PlanInput } from "../core/index.js";
import type { CliIo } from "./cli-io.js";
import { UsageError } from "./exit-codes.js";

const SYNC_TIMEOUT_MS = 60_000;

/** The controller settings that change what the fleet looks like. */
export interface FleetSettings {
  /** Meridian's namespace in the home cluster (member credentials). */
  readonly namespace: string;
  readonly identity: IdentityOptions;
  readonly planner: PlanInput["options"];
}

/** The settings read here: the others (Redis, queues, listen address …) do not change the fleet. */
const FLEET_SETTINGS: readonly SettingKey[] = ["namespace", "syncNamespace", "gatewayNamespace", "hostSuffix", "exportToLimit", "identityLabel", "envAnnotation", "envLabels", "defaultEnv"];

/** The controller's settings from its environment variables (else defaults); a bad value is a usage error naming it. */
export function fleetSettings(env: Env): FleetSettings {
  const relevant = Object.fromEntries(FLEET_SETTINGS.map((key) => [SETTINGS[key].env, env[SETTINGS[key].env]]));
  const loaded = loadControllerConfig({}, relevant);
  if (!loaded.ok) throw new UsageError(`the controller's settings do not load: ${loaded.errors.join("; ")}`);
  const { home, identity, planner } = loaded.config;
  return { namespace: home.namespace, identity, planner };
}

export async function readFleet(homeKubeConfig: KubeConfig, settings: FleetSettings, io: CliIo): Promise<PlanInput> {
  const graph = new IdentityGraph();
  const log = pino({ level: "silent" });
  const registry = new ClusterRegistry({
    homeKubeConfig,
    graph,
    log,
    namespace: settings.namespace,
    syncNamespace: settings.planner.syncNamespace,
    identity: settings.identity,
    observeOnly: true,
  });
  const home = new HomeObjects({ kubeConfig: homeKubeConfig, graph, log });
  const lifetime = new AbortController();
  try {
    await Promise.all([registry.start(lifetime.signal), home.start(lifetime.signal)]);
    await synced(registry, io);
    const snapshot: GraphSnapshot = graph.snapshot();
    return { ...snapshot, options: settings.planner };
  } finally {
    lifetime.abort();
  }
}

async function synced(registry: ClusterRegistry, io: CliIo): Promise<void> {
  const deadline = Date.now() + SYNC_TIMEOUT_MS;
  // As /readyz does: wait for every member that may still sync, not for one that cannot be reached.
  while (!registry.ready() && registry.clusters().some((cluster) => cluster.awaited) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const missing = registry.clusters().filter((cluster) => !cluster.synced).map((cluster) => cluster.name);
  if (missing.length > 0) io.stderr.write(`warning: going on without the workloads of ${missing.join(", ")} (not reachable or not synced; see meridian cluster status)\n`);
}
