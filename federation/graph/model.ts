// The global identity graph as plain data: the planner's input without its options. The shapes are
// structurally identical to controller/core/model.ts (federation never imports controller/); the
// e2e suite assigns a snapshot to the planner's PlanInput to keep the two in step.

import type { ClusterName, Workload } from "../graph-model.js";
import type { OutlierDetectionOverrides, TrafficMode } from "../../crds/index.js";

export type { ClusterName, Workload, WorkloadPort } from "../graph-model.js";

export interface ClusterGateway {
  readonly address: string;
  readonly port: number;
}

export interface MemberCluster {
  readonly name: ClusterName;
  readonly region: string;
  /** Default zone for endpoints that carry none ("" when unknown). */
  readonly zone: string;
  /** Istio network: `spec.network`, else the cluster's name. */
  readonly network: string;
  /** Absent when the MeshCluster names none, or its gateway Service has no load-balancer address yet. */
  readonly gateway?: ClusterGateway;
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

export interface TrafficPolicy {
  readonly ref: ObjectRef;
  /** RFC 3339 creation time, used only to break ties between conflicting policies. */
  readonly createdAt: string;
  readonly identity: string;
  readonly env?: string;
  readonly mode: TrafficMode;
  readonly regions: readonly string[];
  readonly weights: readonly { readonly region: string; readonly weight: number }[];
  readonly outlierDetection?: OutlierDetectionOverrides;
}

export type DrillTarget = { readonly region: string } | { readonly cluster: ClusterName };

export interface Drill {
  readonly ref: ObjectRef;
  readonly target: DrillTarget;
  /** Absent: every identity. */
  readonly identities?: readonly string[];
}

/** Everything the planner needs but its options, sorted; treat as immutable. */
export interface GraphSnapshot {
  readonly clusters: readonly MemberCluster[];
  readonly workloads: readonly Workload[];
  readonly dependencies: readonly Dependency[];
  readonly policies: readonly TrafficPolicy[];
  /** Only drills that are in effect (phase Evacuating or Holding). */
  readonly drills: readonly Drill[];
}
