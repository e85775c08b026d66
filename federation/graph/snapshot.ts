// The graph's state assembled into the planner's input: plain arrays in a deterministic order.

import { compareStrings } from "../compare.js";
import type { ClusterName, Workload } from "../graph-model.js";
import type { Dependency, Drill, GraphSnapshot, MemberCluster, ObjectRef, TrafficPolicy } from "./model.js";
import { compareWorkloads } from "./workload-changes.js";

export interface ClusterEntry {
  readonly member: MemberCluster;
  readonly workloads: readonly Workload[];
}

export interface GraphState {
  readonly clusters: ReadonlyMap<ClusterName, ClusterEntry>;
  readonly dependencies: ReadonlyMap<string, Dependency>;
  readonly policies: ReadonlyMap<string, TrafficPolicy>;
  readonly drills: ReadonlyMap<string, Drill>;
  readonly pending: ReadonlySet<ClusterName>;
}

export function assembleSnapshot(state: GraphState): GraphSnapshot {
  const entries = [...state.clusters.values()].sort((a, b) => compareStrings(a.member.name, b.member.name));
  return {
    clusters: entries.map((entry) => entry.member),
    workloads: entries.flatMap((entry) => entry.workloads).sort(compareWorkloads),
    dependencies: byRef(state.dependencies),
    policies: byRef(state.policies),
    drills: byRef(state.drills),
    pendingClusters: [...state.pending].sort(compareStrings),
  };
}

function byRef<T extends { ref: ObjectRef }>(items: ReadonlyMap<string, T>): T[] {
  return [...items.values()].sort((a, b) => compareStrings(a.ref.namespace ?? "", b.ref.namespace ?? "") || compareStrings(a.ref.name, b.ref.name));
}
