// Member clusters as the planner sees them: one per name, found by name.
import { canonical, compareKeys } from "./compare.js";
import type { ClusterName, MemberCluster, Problem } from "./model.js";
import { problem } from "./problems.js";

export interface ClusterIndex {
  readonly byName: ReadonlyMap<ClusterName, MemberCluster>;
  /** Sorted. */
  readonly names: readonly ClusterName[];
  /** Regions that have at least one member cluster. */
  readonly regions: ReadonlySet<string>;
  readonly problems: readonly Problem[];
}

/** Indexes clusters; of two clusters with one name the first in canonical order is kept. */
export function indexClusters(clusters: readonly MemberCluster[]): ClusterIndex {
  const sorted = clusters
    .map((cluster) => ({ cluster, key: [cluster.name, canonical(cluster)] }))
    .sort((a, b) => compareKeys(a.key, b.key));
  const byName = new Map<ClusterName, MemberCluster>();
  const problems: Problem[] = [];
  for (const { cluster } of sorted) {
    if (byName.has(cluster.name)) {
      const kept = byName.get(cluster.name) as MemberCluster;
      problems.push(problem("DuplicateCluster", { kind: "MeshCluster", name: cluster.name },
        `MeshCluster ${cluster.name} is registered more than once; the registration in region ${kept.region} (first in canonical order) is used, the one in region ${cluster.region} is ignored`));
      continue;
    }
    byName.set(cluster.name, cluster);
  }
  return {
    byName,
    names: [...byName.keys()],
    regions: new Set([...byName.values()].map((c) => c.region)),
    problems,
  };
}

/** The network of a cluster: its own name when none is set. */
export const clusterNetwork = (cluster: MemberCluster): string => cluster.network || cluster.name;
