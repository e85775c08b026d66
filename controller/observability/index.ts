export {
  QUEUE_STATES,
  createMetrics,
  forgetCluster,
  forgetDrill,
  recordApiWrite,
  recordClusterState,
  recordConvergence,
  recordDrillPhase,
  recordOwnedObjects,
  recordProblems,
  recordCatchUp,
  recordHeldKeys,
  recordConflicts,
  recordQueueStats,
  recordReconcile,
} from "./metrics.js";
export type { CatchUpOutcome, MeridianMetrics, MetricsOptions, ReconcileOutcome, WriteVerb } from "./metrics.js";
export { HealthServer } from "./http-server.js";
export type { HealthServerDeps, Listening, ReadinessBody, ReadinessReport, RedisProbe } from "./http-server.js";
export { REDACTED, REDACT_PATHS, clusterLogger, createLogger, reconcileLogger } from "./logger.js";
export type { LoggerOptions, ReconcileContext } from "./logger.js";
