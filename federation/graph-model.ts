// What federation produces: the nodes of the global identity graph, one Workload per Service that
// carries an identity in one member cluster. The shapes are structurally identical to the planner's
// input, so the controller passes them straight through (federation never imports controller/).

import { dnsLabelProblem } from "./dns-label.js";

/**
 * The name of a member cluster (its MeshCluster's name), a DNS-1123 label. Branded so a cluster name
 * is never confused with a namespace or an identity; build one with `clusterName()`.
 */
export type ClusterName = string & { readonly __brand: "ClusterName" };

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

export interface WorkloadPort {
  /** The Service port's name; its prefix (http, grpc, tcp …) gives the protocol. */
  name: string;
  port: number;
  /** The Service's targetPort when it is a number (a named targetPort is left out). */
  targetPort?: number;
}

/** One identity+env running in one cluster. */
export interface Workload {
  identity: string;
  env: string;
  cluster: ClusterName;
  namespace: string;
  service: string;
  /** Sorted by port, then name. */
  ports: WorkloadPort[];
  /**
   * Ready endpoints per zone; zone "" counts endpoints that carry no zone. Only zones with at least
   * one ready endpoint appear; keys are in sorted order.
   */
  readyByZone: Record<string, number>;
}
