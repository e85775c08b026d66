export { ReconcileQueues } from "./reconcile-queues.js";
export type { EnqueueOptions, QueueStats, ReconcileHandler, ReconcileQueuesDeps } from "./reconcile-queues.js";
export { PermanentReconcileError } from "./reconcile-job.js";
export type { PlannedKey, ReconcileJobData, ReconcileKey } from "./reconcile-job.js";
export { DEFAULT_QUEUE_SETTINGS } from "./queue-settings.js";
export type { QueueSettings } from "./queue-settings.js";
export { QUEUE_PREFIX, clusterOfQueue, lastResyncKey, reconcileQueueName, writtenStateKey } from "./queue-keys.js";
export { WrittenState, conflictOf, conflictRecord } from "./written-state.js";
export type { WrittenDigests } from "./written-state.js";
