// What federation produces: the nodes of the global identity graph, one Workload per Service that
// carries an identity in one member cluster. The types are the shared vocabulary of
// crds/identity-graph.ts; this file adds the checked constructor of cluster names.

import { dnsLabelProblem } from "./dns-label.js";

export type { ClusterName, Workload, WorkloadPort } from "../crds/identity-graph.js";
import type { ClusterName } from "../crds/identity-graph.js";

/** Checks `value` and brands it; throws a TypeError naming the rule when it is not a DNS-1123 label. */
export function clusterName(value: string): ClusterName {
  const problem = dnsLabelProblem(value);
  if (problem !== undefined) {
    throw new TypeError(`Invalid cluster name "${value}": ${problem}`);
  }
  return value as ClusterName;
}

export function isClusterName(value: string): value is ClusterName {
  return dnsLabelProblem(value) === undefined;
}

