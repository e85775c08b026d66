// The gauges refreshed every second on every replica: member cluster up/synced, and the depth and
// oldest-job age of each cluster's queue.
import type { ClusterRegistry } from "../../federation/registry/cluster-registry.js";
import { recordClusterState, recordQueueStats } from "../observability/index.js";
import type { MeridianMetrics } from "../observability/index.js";
import type { ReconcileQueues } from "../queue/index.js";

export interface FleetMetricsInput {
  readonly metrics: MeridianMetrics;
  readonly queues: ReconcileQueues;
  readonly registry: ClusterRegistry;
  readonly clusters: readonly string[];
}

/** Returns the reconciles waiting or running in all these clusters' queues. */
export async function recordFleetMetrics(input: FleetMetricsInput): Promise<number> {
  for (const state of input.registry.clusters()) {
    recordClusterState(input.metrics, { cluster: state.name, up: state.connected, synced: state.syncedNow });
  }
  const stats = await input.queues.stats(input.clusters);
  recordQueueStats(input.metrics, stats);
  return stats.reduce((sum, queue) => sum + queue.waiting + queue.active, 0);
}
