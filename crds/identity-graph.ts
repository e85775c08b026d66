// The vocabulary of the global identity graph, shared by the layers that build it (federation/) and
// the pure planner that consumes it (controller/core/). It lives at the bottom layer so both import
// one definition: federation may not import controller/, and core may import only crds/.
// Plain, immutable data; no I/O.

import type { OutlierDetectionOverrides, TrafficMode } from "./traffic-policy.js";

export type { OutlierDetectionOverrides, TrafficMode };

/** A member cluster's name, typed so it is never confused with other strings. */
export type ClusterName = string & { readonly __brand: "ClusterName" };

export interface ClusterGateway {
  readonly address: string;
  readonly port: number;
}

export interface MemberCluster {
  readonly name: ClusterName;
  readonly region: string;
  /** Default zone for endpoints that carry none ("" when unknown). */
  readonly zone: string;
  /** Istio network name ("" means: the cluster's name). */
  readonly network: string;
  readonly gateway?: ClusterGateway;
}

export interface WorkloadPort {
  readonly name: string;
  readonly port: number;
  readonly targetPort?: number;
}

/** One identity+env's Service in one cluster and namespace. */
export interface Workload {
  readonly identity: string;
  readonly env: string;
  readonly cluster: ClusterName;
  readonly namespace: string;
  readonly service: string;
  readonly ports: readonly WorkloadPort[];
  /** Ready endpoints per zone; the key "" means "no zone": the cluster's default zone. */
  readonly readyByZone: Readonly<Record<string, number>>;
}

export interface ObjectRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface DependencyTarget {
  /** An identity, or "*" for every identity. */
  readonly identity: string;
  /** Omitted: every env. */
  readonly env?: string;
}

export interface Dependency {
  readonly ref: ObjectRef;
  readonly source: DependencyTarget;
  readonly destinations: readonly DependencyTarget[];
}

export interface RegionWeight {
  readonly region: string;
  readonly weight: number;
}

export interface TrafficPolicy {
  readonly ref: ObjectRef;
  /** ISO 8601 creation time, used only to break ties between conflicting policies. */
  readonly createdAt: string;
  readonly identity: string;
  readonly env?: string;
  readonly mode: TrafficMode;
  readonly regions: readonly string[];
  readonly weights: readonly RegionWeight[];
  readonly outlierDetection?: OutlierDetectionOverrides;
}

export type DrillTarget = { readonly region: string } | { readonly cluster: ClusterName };

export interface Drill {
  readonly ref: ObjectRef;
  readonly target: DrillTarget;
  /** Absent or empty: every identity. */
  readonly identities?: readonly string[];
}

/** Everything the planner needs but its options: what federation's graph hands over. */
export interface GraphInput {
  readonly clusters: readonly MemberCluster[];
  readonly workloads: readonly Workload[];
  readonly dependencies: readonly Dependency[];
  readonly policies: readonly TrafficPolicy[];
  readonly drills: readonly Drill[];
  /**
   * Registered clusters that have not synced since this process started, or whose watches are failing
   * (sorted). What runs there is not known now: identities may run there that the workloads do not
   * show. The planner reports it; the reconciler keeps their endpoints and objects where they are.
   */
  readonly pendingClusters?: readonly ClusterName[];
}
