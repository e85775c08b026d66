// The registry's configuration: validated by the entry point, passed in as an argument, frozen here
// with defaults filled in. Nothing below reads the environment.

import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { DEFAULT_IDENTITY_OPTIONS } from "../identity.js";
import type { IdentityOptions } from "../identity.js";
import type { KubeconfigCheckOptions } from "../kubeconfig.js";
import type { GraphUpdates } from "../graph/identity-graph.js";
import { FIELD_MANAGER, MERIDIAN_NAMESPACE, SYNC_NAMESPACE } from "../registration/names.js";
import { DEFAULT_WATCH_TIMING } from "../watch/watch-timing.js";
import type { WatchTiming } from "../watch/watch-timing.js";

export interface RegistryTiming {
  readonly watch: WatchTiming;
  /** How often each member's API server is probed (/version and SelfSubjectReview). */
  readonly probeIntervalMs: number;
  /** How often each member's permissions are reviewed again (SelfSubjectAccessReviews). */
  readonly accessIntervalMs: number;
  /** Deadline of each request to a member (probes, reviews, lists) and to the home cluster. */
  readonly requestTimeoutMs: number;
  /** Coalescing delay before a cluster's workloads are derived again after its caches changed. */
  readonly deriveDelayMs: number;
  /** Coalescing delay before a MeshCluster's status is computed again. */
  readonly statusDelayMs: number;
}

export const DEFAULT_REGISTRY_TIMING: RegistryTiming = Object.freeze({
  watch: DEFAULT_WATCH_TIMING,
  probeIntervalMs: 10_000,
  accessIntervalMs: 300_000,
  requestTimeoutMs: 10_000,
  deriveDelayMs: 10,
  statusDelayMs: 100,
});

export interface RegistryOptions {
  /** Credentials for the home cluster (MeshClusters, Secrets, status writes). */
  readonly homeKubeConfig: KubeConfig;
  /** Receives each member cluster and its workloads. */
  readonly graph: GraphUpdates;
  readonly log: Logger;
  /** The only namespace whose Secrets are read: member credentials live there (meridian-system). */
  readonly namespace?: string;
  /** Namespace in members where Meridian writes; never discovered (meridian-sync). */
  readonly syncNamespace?: string;
  readonly fieldManager?: string;
  /** How identity and env are derived from workloads (Admiral-compatible by default). */
  readonly identity?: IdentityOptions;
  /** Whether kubeconfigs may use exec plugins or auth providers (default: neither). */
  readonly kubeconfigChecks?: KubeconfigCheckOptions;
  readonly timing?: Partial<RegistryTiming>;
  readonly clock?: () => Date;
  /**
   * Observe only (read-only commands): write no MeshCluster status and send no review (a
   * SelfSubjectReview or SelfSubjectAccessReview is a create request); probe with /version and
   * discovery only. Default false: the controller writes statuses and reviews credentials.
   */
  readonly observeOnly?: boolean;
  /**
   * Whether this replica writes MeshCluster statuses now (the controller: while it leads, so replicas
   * that see a member differently never overwrite each other's view). Default: always. When it turns
   * true, call `ClusterRegistry.statusWritesResumed()`.
   */
  readonly writesStatus?: () => boolean;
}

export interface ResolvedRegistryOptions {
  readonly homeKubeConfig: KubeConfig;
  readonly graph: GraphUpdates;
  readonly log: Logger;
  readonly namespace: string;
  readonly syncNamespace: string;
  readonly fieldManager: string;
  readonly identity: IdentityOptions;
  readonly kubeconfigChecks: KubeconfigCheckOptions;
  readonly timing: RegistryTiming;
  readonly clock: () => Date;
  readonly observeOnly: boolean;
  readonly writesStatus: () => boolean;
}

export function resolveRegistryOptions(options: RegistryOptions): ResolvedRegistryOptions {
  return Object.freeze({
    homeKubeConfig: options.homeKubeConfig,
    graph: options.graph,
    log: options.log,
    namespace: options.namespace ?? MERIDIAN_NAMESPACE,
    syncNamespace: options.syncNamespace ?? SYNC_NAMESPACE,
    fieldManager: options.fieldManager ?? FIELD_MANAGER,
    identity: options.identity ?? DEFAULT_IDENTITY_OPTIONS,
    kubeconfigChecks: Object.freeze({ ...options.kubeconfigChecks }),
    timing: Object.freeze({ ...DEFAULT_REGISTRY_TIMING, ...options.timing }),
    clock: options.clock ?? (() => new Date()),
    observeOnly: options.observeOnly ?? false,
    writesStatus: options.writesStatus ?? (() => true),
  });
}
