// Rule 6, drills: an active drill removes the endpoints located in its region or cluster from
// every host in its scope, as a real outage would, unless that would leave the host with none.
import type { ClusterIndex } from "./index-clusters.js";
import { describeDrillTarget, drillCoversCluster, drillCoversIdentity } from "./index-drills.js";
import type { Drill, MemberCluster, Problem, Workload } from "./model.js";
import { describeRef, problem } from "./problems.js";

export interface DrilledEndpoints {
  /** The ready workloads that keep serving. */
  readonly serving: readonly Workload[];
  readonly problems: readonly Problem[];
}

/** Applies `drills` in order to the ready workloads of one host (identity, env). */
export function applyDrills(
  clusters: ClusterIndex,
  drills: readonly Drill[],
  host: { identity: string; env: string },
  ready: readonly Workload[],
): DrilledEndpoints {
  let serving = ready;
  const problems: Problem[] = [];
  for (const drill of drills) {
    if (!drillCoversIdentity(drill, host.identity)) continue;
    const left = serving.filter((w) => !drillCoversCluster(drill, clusters.byName.get(w.cluster) as MemberCluster));
    if (left.length === serving.length) continue;
    if (left.length === 0) {
      problems.push(problem("DrillWouldBlackhole", drill.ref,
        `${describeRef(drill.ref)}: evacuating ${describeDrillTarget(drill)} would leave identity ${host.identity} (env ${host.env}) with no endpoints; its endpoints there stay`));
      continue;
    }
    serving = left;
  }
  return { serving, problems };
}
