// What /readyz reports beyond Redis: every registered cluster (synced now, or why not, and whether
// this replica still waits for its first sync), and the home cluster's own caches.
import type { HomeObjects } from "../../federation/graph/home-objects.js";
import type { ClusterRegistry } from "../../federation/registry/cluster-registry.js";
import type { ReadinessReport } from "../observability/index.js";

export function readiness(registry: ClusterRegistry, home: HomeObjects): ReadinessReport {
  const notReady: string[] = [];
  if (!registry.health().every((health) => health.hasSynced)) notReady.push("home cluster: MeshClusters and member Secrets not listed yet");
  if (!home.synced()) notReady.push("home cluster: ServiceDependencies, TrafficPolicies and FailoverDrills not listed yet");
  const clusters = registry.clusters().map((c) => ({ cluster: c.name, synced: c.syncedNow, awaited: c.awaited, ...(c.problem === undefined ? {} : { problem: c.problem }) }));
  return { clusters, notReady };
}
