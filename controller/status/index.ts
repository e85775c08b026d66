// Status of ServiceDependencies and TrafficPolicies, and Kubernetes Events for planner problems.
export { StatusReporter } from "./status-reporter.js";
export type { ReportOptions, ReportResult, StatusReporterDeps } from "./status-reporter.js";
export { FleetView } from "./fleet-view.js";
export type { DesiredFor, DesiredObjects, StatusInputs, WrittenByCluster } from "./fleet-view.js";
export { dependencyStatus, resolveDestinations } from "./dependency-status.js";
export type { Resolution, ResolvedDestination, UnresolvedDestination } from "./dependency-status.js";
export { policyStatus } from "./policy-status.js";
export { STATUS_FIELDS, statusBody, statusToApply } from "./object-status.js";
export type { LiveStatus, ObjectStatus, StatusBody, StatusKind } from "./object-status.js";
export { EVENT_COMPONENT, problemEvent, problemEventName } from "./problem-event.js";
export type { EventTarget } from "./problem-event.js";
