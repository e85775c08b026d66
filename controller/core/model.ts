// The planner's input and output. Input is already parsed and trusted (zod at the edge); the
// planner still never throws on inconsistent data: it reports problems instead.
import type { DestinationRule, ServiceEntry } from "../../crds/istio.js";

export type {
  ClusterName,
  ClusterGateway,
  MemberCluster,
  WorkloadPort,
  Workload,
  ObjectRef,
  DependencyTarget,
  Dependency,
  TrafficMode,
  OutlierDetectionOverrides,
  RegionWeight,
  TrafficPolicy,
  DrillTarget,
  Drill,
  GraphInput,
} from "../../crds/identity-graph.js";
import type { ClusterName, GraphInput, ObjectRef } from "../../crds/identity-graph.js";

export const clusterName = (name: string): ClusterName => name as ClusterName;

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

export interface PlanInput extends GraphInput {
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
  | "ClusterNotSynced"
  | "Conflict"
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
