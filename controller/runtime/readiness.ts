// What /readyz reports beyond Redis: every registered cluster and whether it has synced, and the
// home cluster's own caches.
import type { HomeObjects } from "../../federation/graph/home-objects.js";
import type { ClusterRegistry } from "../../federation/registry/cluster-registry.js";
import type { ReadinessReport } from "../observability/index.js";

export function readiness(registry: ClusterRegistry, home: HomeObjects): ReadinessReport {
  const notReady: string[] = [];
  if (!registry.health().every((health) => health.hasSynced)) notReady.push("home cluster: MeshClusters and member Secrets not listed yet");
  if (!home.synced()) notReady.push("home cluster: ServiceDependencies, TrafficPolicies and FailoverDrills not listed yet");
  return { clusters: registry.clusters().map((cluster) => ({ cluster: cluster.name, synced: cluster.synced })), notReady };
}
