// The pure planner's public surface. Everything here is a function of its arguments.
export type * from "./model.js";
export { clusterName } from "./model.js";
export { plan, planFleet } from "./plan.js";
export { planIdentity } from "./plan-identity.js";
export { identitiesAffectedBy } from "./affected.js";
export { type FleetIndex, fleetIdentities, indexFleet, withWorkloads, workloadsOf } from "./fleet-index.js";
export { PROBLEM_SEVERITY, type ProblemSeverity } from "./problems.js";
export { deepEqual, diffObjects, isManaged, type Conflict, type LiveObject, type ObjectDiff, type ObjectKey } from "./diff.js";
export { diffHoldingPending, type HeldDiff } from "./pending-hold.js";
export { destinationRuleName, globalHost, ENV_LABEL, IDENTITY_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE, serviceEntryName } from "./names.js";
export { checkPolicies, type PolicyFinding, type PolicyFindingCode } from "./policy-check.js";
export { planDrill, type DrillPlan, type DrillRoute } from "./drill-plan.js";
export { describeChange, fieldChanges, type FieldChange } from "./field-diff.js";
export { comparePlans, describeClusterChanges, plansEqual, type ChangedObject, type ClusterChanges, type ObjectName, type PlanChanges } from "./plan-diff.js";
export { compareLive, liveDiffClean, type DriftedObject, type LiveDiff } from "./live-diff.js";
export { explain, type Explanation, type ExplainQuery, type FailoverExplanation, type HostExplanation, type Visibility } from "./explain.js";
export type { DrillEffect, EndpointRow, WorkloadVerdict } from "./explain-endpoints.js";
export type { PlacementReason, UnusedDependency } from "./explain-placement.js";
