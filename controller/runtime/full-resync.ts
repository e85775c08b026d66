// A full resync: every (cluster, identity) key, where the identities are those the graph knows plus
// those Meridian owns objects for in that cluster (so objects of identities that vanished while no
// controller ran are pruned too). Run by every replica once at start, and by the leader on the
// resync interval. With nothing changed it writes nothing: each key finds nothing to do. The owned
// identities come from the member object cache's watches when they serve; only a member whose
// watches have not synced (or fail) is listed.
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { clusterName } from "../../federation/graph-model.js";
import { recordOwnedObjects } from "../observability/index.js";
import type { MeridianMetrics } from "../observability/index.js";
import type { PlannedKey } from "../queue/index.js";
import type { EnqueueTarget } from "./key-enqueuer.js";
import { listOwnedObjects } from "./owned-objects.js";
import type { OwnedObjects } from "./owned-objects.js";

export interface FullResyncDeps {
  readonly queues: EnqueueTarget;
  readonly clusters: () => readonly string[];
  readonly identities: () => readonly string[];
  readonly planDigestOf: (cluster: string, identity: string) => string;
  readonly replica: string;
  readonly kubeConfigOf: (cluster: ReturnType<typeof clusterName>) => KubeConfig | undefined;
  readonly syncNamespace: string;
  readonly log: Logger;
  readonly metrics?: MeridianMetrics;
  readonly requestTimeoutMs?: number;
  /** The cluster's owned objects from the watches, or undefined when they must be listed. */
  readonly ownedIn?: (cluster: string) => OwnedObjects | undefined;
}

/** Enqueues every key; returns how many. */
export async function fullResync(deps: FullResyncDeps, cause: string): Promise<number> {
  const known = deps.identities();
  const perCluster = await Promise.all(deps.clusters().map((cluster) => clusterKeys(deps, cluster, known)));
  const keys = perCluster.flat();
  await deps.queues.enqueue(keys, cause, { background: true });
  deps.log.info({ keys: keys.length, clusters: perCluster.length, cause }, "Enqueued a full resync");
  return keys.length;
}

async function clusterKeys(deps: FullResyncDeps, cluster: string, known: readonly string[]): Promise<PlannedKey[]> {
  const identities = new Set(known);
  const kubeConfig = deps.kubeConfigOf(clusterName(cluster));
  if (kubeConfig !== undefined) {
    try {
      const owned = deps.ownedIn?.(cluster) ?? (await listOwnedObjects(kubeConfig, deps.syncNamespace, deps.requestTimeoutMs ?? 20_000));
      for (const identity of owned.identities) identities.add(identity);
      if (deps.metrics !== undefined) recordOwnedObjects(deps.metrics, cluster, owned.countsByKind);
    } catch (err) {
      deps.log.warn({ cluster, err }, "Could not list the cluster's owned objects; resyncing the graph's identities only");
    }
  }
  return [...identities].sort().map((identity) => ({ cluster, identity, planDigest: deps.planDigestOf(cluster, identity), enqueuedBy: deps.replica }));
}
