// crds/: Meridian's custom resources (zod schemas and types that agree with the CRD YAML beside them)
// and the Istio objects Meridian writes. The bottom layer: it imports nothing of Meridian's.
// Fixtures and the CRD file list live in crds/fixtures/index.ts (they read files; this module does not).

export { API_VERSION, GROUP, KINDS, PLURALS, RESOURCES, VERSION, crdName, kindOf } from "./group-version.js";
export type { Kind, Plural } from "./group-version.js";

export {
  CONDITION_STATUSES,
  ConditionSchema,
  DNS1123_LABEL_PATTERN,
  DNS1123_SUBDOMAIN_PATTERN,
  DURATION_PATTERN,
  ObjectMetaSchema,
  formatDuration,
  parseDuration,
} from "./common.js";
export type { Condition, ObjectMeta } from "./common.js";

export { describeErrors, formatPath } from "./parse.js";
export type { FieldError, ParseResult, RuleLayer } from "./parse.js";

export {
  DEFAULT_EXCLUDED_NAMESPACES,
  DEFAULT_GATEWAY_PORT,
  DEFAULT_KUBECONFIG_SECRET_KEY,
  DEFAULT_KUBECONFIG_SECRET_NAMESPACE,
  MESH_CLUSTER_CONDITIONS,
  MESH_CLUSTER_RULES,
  MeshClusterSchema,
  MeshClusterSpecSchema,
  MeshClusterStatusSchema,
  meshClusterNetwork,
  parseMeshCluster,
} from "./mesh-cluster.js";
export type { MeshCluster, MeshClusterConditionType, MeshClusterSpec, MeshClusterStatus } from "./mesh-cluster.js";

export {
  MAX_DESTINATIONS,
  SERVICE_DEPENDENCY_CONDITIONS,
  SERVICE_DEPENDENCY_RULES,
  ServiceDependencySchema,
  ServiceDependencySpecSchema,
  ServiceDependencyStatusSchema,
  WILDCARD_IDENTITY,
  isWildcardDependency,
  parseServiceDependency,
} from "./service-dependency.js";
export type {
  Destination,
  ServiceDependency,
  ServiceDependencyConditionType,
  ServiceDependencySpec,
  ServiceDependencyStatus,
} from "./service-dependency.js";

export {
  DEFAULT_TRAFFIC_MODE,
  MAX_REGIONS,
  OutlierDetectionSchema,
  TRAFFIC_MODES,
  TRAFFIC_POLICY_CONDITIONS,
  TRAFFIC_POLICY_RULES,
  TrafficPolicySchema,
  TrafficPolicySpecSchema,
  TrafficPolicyStatusSchema,
  parseTrafficPolicy,
} from "./traffic-policy.js";
export type {
  OutlierDetectionOverrides,
  RegionWeight,
  TrafficMode,
  TrafficPolicy,
  TrafficPolicyConditionType,
  TrafficPolicySpec,
  TrafficPolicyStatus,
} from "./traffic-policy.js";

export {
  DEFAULT_DRILL_DURATION,
  DRILL_DURATION_BOUNDS_MS,
  DRILL_PHASES,
  FAILOVER_DRILL_RULES,
  FailoverDrillSchema,
  FailoverDrillSpecSchema,
  FailoverDrillStatusSchema,
  drillDurationProblem,
  parseFailoverDrill,
} from "./failover-drill.js";
export type { DrillPhase, DrillTarget, FailoverDrill, FailoverDrillSpec, FailoverDrillStatus, TimelineEntry } from "./failover-drill.js";

export { ISTIO_NETWORKING_API_VERSION } from "./istio.js";
export type {
  DestinationRule,
  DestinationRuleSpec,
  GeneratedObject,
  IstioProtocol,
  LocalityDistribute,
  LocalityFailover,
  LocalityLbSetting,
  ObjectMeta as IstioObjectMeta,
  OutlierDetection,
  ServiceEntry,
  ServiceEntryEndpoint,
  ServiceEntryPort,
  ServiceEntrySpec,
} from "./istio.js";
