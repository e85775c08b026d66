// The planner's input and output. Input is already parsed and trusted (zod at the edge); the
// planner still never throws on inconsistent data: it reports problems instead.
import type { DestinationRule, ServiceEntry } from "../../crds/istio.js";

/** A member cluster's name, typed so it is never confused with other strings. */
export type ClusterName = string & { readonly __brand: "ClusterName" };

export const clusterName = (name: string): ClusterName => name as ClusterName;

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

export type TrafficMode = "Topology" | "Failover" | "Weighted";

export interface OutlierDetectionOverrides {
  readonly consecutive5xxErrors?: number;
  readonly consecutiveGatewayErrors?: number;
  readonly interval?: string;
  readonly baseEjectionTime?: string;
  readonly maxEjectionPercent?: number;
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

export interface PlannerOptions {
  /** Suffix of global hosts, `global` by default. */
  readonly hostSuffix: string;
  /** Namespace of the generated objects, `meridian-sync` by default. */
  readonly syncNamespace: string;
  /** exportTo is narrowed only when at most this many namespaces need the host. */
  readonly exportToLimit: number;
  /** Namespace of the east-west gateways, which must see hosts they serve (`istio-system`). */
  readonly gatewayNamespace?: string;
}

export interface PlanInput {
  readonly clusters: readonly MemberCluster[];
  readonly workloads: readonly Workload[];
  readonly dependencies: readonly Dependency[];
  readonly policies: readonly TrafficPolicy[];
  readonly drills: readonly Drill[];
  readonly options: PlannerOptions;
}

export type ProblemCode =
  | "DuplicateCluster"
  | "DuplicateObject"
  | "DuplicateWorkload"
  | "UnknownCluster"
  | "WorkloadWithoutPorts"
  | "PortConflict"
  | "GatewayMissing"
  | "UnknownDestination"
  | "PolicyIdentityNotRunning"
  | "PolicyConflict"
  | "UnknownRegion"
  | "WeightedRegionWithoutEndpoints"
  | "FailoverRegionsWithoutEndpoints"
  | "OutlierDetectionDisabled"
  | "DrillWouldBlackhole"
  | "UnknownDrillTarget";

export interface Problem {
  readonly code: ProblemCode;
  /** The object the problem belongs on (its status is where people will look). */
  readonly object: ObjectRef;
  /** Names the object, the field and why. */
  readonly message: string;
}

/**
 * The desired objects of one member cluster, sorted by name. Objects in a plan share
 * sub-objects (endpoints, labels, traffic policies): treat them as immutable.
 */
export interface ClusterPlan {
  readonly cluster: ClusterName;
  readonly serviceEntries: readonly ServiceEntry[];
  readonly destinationRules: readonly DestinationRule[];
}

export interface Plan {
  /** Every member cluster, sorted by name, also those that need nothing. */
  readonly clusters: readonly ClusterPlan[];
  /** Sorted by code, object and message. */
  readonly problems: readonly Problem[];
}
