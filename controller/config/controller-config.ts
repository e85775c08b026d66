// The controller's configuration as the rest of the controller sees it: typed, grouped by who uses
// it, deeply frozen. Built once by loadControllerConfig and passed down as an argument.

import type { IdentityOptions } from "../../federation/identity.js";
import type { PlannerOptions } from "../core/model.js";
import type { QueueSettings } from "../queue/queue-settings.js";
import { redactRedisUrl } from "../redis/redis-url.js";
import type { ListenAddress, LogLevel } from "./setting-values.js";
import type { SettingKey } from "./settings.js";

export type SettingSource = "flag" | "env" | "default" | "unset";

export interface ControllerConfig {
  readonly home: {
    /** Empty: the in-cluster service account, else ~/.kube/config. Several files are merged (first wins). */
    readonly kubeconfigFiles: readonly string[];
    /** Undefined: the kubeconfig's current context. */
    readonly context: string | undefined;
    /** Meridian's namespace in the home cluster (member credentials, the Lease). */
    readonly namespace: string;
  };
  readonly planner: PlannerOptions & { readonly gatewayNamespace: string };
  readonly identity: IdentityOptions;
  readonly redis: {
    /** Undefined: start a private local redis-server (see controller/redis). */
    readonly url: string | undefined;
    readonly tlsCaFile: string | undefined;
  };
  readonly resyncIntervalMs: number;
  /** Token bucket for API writes, per member cluster and replica. */
  readonly writeLimit: { readonly perSecond: number; readonly burst: number };
  readonly queue: QueueSettings;
  readonly http: ListenAddress;
  readonly logLevel: LogLevel;
  /** Lease for singleton duties; lives in `home.namespace`. The holder identity is the entry point's (hostname + pid). */
  readonly lease: { readonly name: string; readonly durationMs: number };
  /** Where each setting's value came from, for the start-up log line. */
  readonly sources: Readonly<Record<SettingKey, SettingSource>>;
}

/** The configuration for a log line: the Redis URL without its password. */
export function loggableConfig(config: ControllerConfig): Record<string, unknown> {
  const url = config.redis.url;
  return { ...config, redis: { ...config.redis, url: url === undefined ? undefined : redactRedisUrl(url) } };
}

/** Freezes `value` and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
