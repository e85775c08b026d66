// The global identity graph as plain data: the planner's input without its options. The types are the
// shared vocabulary in crds/identity-graph.ts, which the planner uses too.

export type {
  ClusterGateway,
  ClusterName,
  Dependency,
  DependencyTarget,
  Drill,
  DrillTarget,
  MemberCluster,
  ObjectRef,
  TrafficPolicy,
  Workload,
  WorkloadPort,
} from "../../crds/identity-graph.js";
import type { GraphInput } from "../../crds/identity-graph.js";

/** Everything the planner needs but its options, sorted; treat as immutable. Drills: only those in effect (Evacuating or Holding). */
export type GraphSnapshot = GraphInput;
