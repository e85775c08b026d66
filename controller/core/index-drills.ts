// Active drills whose target the fleet knows; the others become UnknownDrillTarget problems.
import type { ClusterIndex } from "./index-clusters.js";
import type { Drill, MemberCluster, Problem } from "./model.js";
import { describeRef, problem } from "./problems.js";

export interface DrillIndex {
  /** Drills with a known target, sorted by reference: the order they are applied in. */
  readonly drills: readonly Drill[];
  readonly problems: readonly Problem[];
}

/** `drills` must be sorted by reference and free of duplicates. */
export function indexDrills(clusters: ClusterIndex, drills: readonly Drill[]): DrillIndex {
  const known: Drill[] = [];
  const problems: Problem[] = [];
  for (const drill of drills) {
    const unknown = unknownTarget(clusters, drill);
    if (unknown === undefined) known.push(drill);
    else problems.push(problem("UnknownDrillTarget", drill.ref, `${describeRef(drill.ref)}: ${unknown}; the drill changes nothing`));
  }
  return { drills: known, problems };
}

function unknownTarget(clusters: ClusterIndex, drill: Drill): string | undefined {
  const target = drill.target;
  if ("region" in target) {
    return clusters.regions.has(target.region) ? undefined : `field target.region names region ${target.region}, where no MeshCluster is registered`;
  }
  return clusters.byName.has(target.cluster) ? undefined : `field target.cluster names cluster ${target.cluster}, which is not a registered MeshCluster`;
}

/** Does the drill apply to this identity? */
export const drillCoversIdentity = (drill: Drill, identity: string): boolean =>
  drill.identities === undefined || drill.identities.length === 0 || drill.identities.includes(identity);

/** Is a workload in this cluster inside the drilled locality? */
export function drillCoversCluster(drill: Drill, cluster: MemberCluster): boolean {
  const target = drill.target;
  return "region" in target ? cluster.region === target.region : cluster.name === target.cluster;
}

/** `region us-east-1` or `cluster c1`, for messages. */
export function describeDrillTarget(drill: Drill): string {
  const target = drill.target;
  return "region" in target ? `region ${target.region}` : `cluster ${target.cluster}`;
}
