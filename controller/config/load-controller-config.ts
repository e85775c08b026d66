// Loads the controller's configuration once, at the edge: each setting from its flag, else its
// environment variable, else its default; validated with its zod schema; grouped and frozen.
// Pure: the parsed flags and an environment record come in, a result goes out. Every error names
// the setting both ways (`--resync-interval / MERIDIAN_RESYNC_INTERVAL: "5x" is not a duration …`).

import { isTlsRedisUrl } from "../redis/redis-url.js";
import { deepFreeze } from "./controller-config.js";
import type { ControllerConfig, SettingSource } from "./controller-config.js";
import { SETTINGS, SETTING_KEYS, settingName } from "./settings.js";
import type { Setting, SettingKey, SettingValues } from "./settings.js";

export type LoadResult = { readonly ok: true; readonly config: ControllerConfig } | { readonly ok: false; readonly errors: readonly string[] };

export type Env = Readonly<Record<string, string | undefined>>;

interface Raw {
  readonly value: unknown;
  readonly source: SettingSource;
}

/** Flag, then environment variable (empty counts as unset), then default. */
function rawValue(key: SettingKey, flags: Readonly<Record<string, unknown>>, env: Env): Raw {
  const spec: Setting = SETTINGS[key];
  const flag = flags[key];
  if (flag !== undefined) return { value: flag, source: "flag" };
  const fromEnv = env[spec.env];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return { value: fromEnv.trim(), source: "env" };
  return spec.default === undefined ? { value: undefined, source: "unset" } : { value: spec.default, source: "default" };
}

/**
 * @param argvOptions commander's parsed options for `meridian controller` (see controllerOptions);
 *   keys it does not know are ignored.
 * @param env the process environment, handed in by the entry point.
 */
export function loadControllerConfig(argvOptions: Readonly<Record<string, unknown>>, env: Env): LoadResult {
  const errors: string[] = [];
  const values: Partial<Record<SettingKey, unknown>> = {};
  const sources = {} as Record<SettingKey, SettingSource>;
  for (const key of SETTING_KEYS) {
    const raw = rawValue(key, argvOptions, env);
    sources[key] = raw.source;
    if (raw.source === "unset") continue;
    const result = (SETTINGS[key] as Setting).schema.safeParse(raw.value);
    if (result.success) {
      values[key] = result.data;
    } else {
      errors.push(...result.error.issues.map((issue) => `${settingName(key)}: ${issue.message}`));
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const parsed = values as SettingValues;
  const crossErrors = crossSettingErrors(parsed);
  if (crossErrors.length > 0) return { ok: false, errors: crossErrors };
  return { ok: true, config: deepFreeze(toControllerConfig(parsed, sources)) };
}

/** Rules that involve two settings. */
function crossSettingErrors(values: SettingValues): string[] {
  if (values.redisTlsCaFile === undefined) return [];
  if (values.redisUrl === undefined) {
    return [`${settingName("redisTlsCaFile")}: needs ${settingName("redisUrl")} with a rediss:// URL (the private local redis-server has no TLS)`];
  }
  if (!isTlsRedisUrl(values.redisUrl)) {
    return [`${settingName("redisTlsCaFile")}: the Redis URL is redis:// (no TLS); use rediss:// to verify the server with this CA, or drop the CA file`];
  }
  return [];
}

function toControllerConfig(values: SettingValues, sources: Record<SettingKey, SettingSource>): ControllerConfig {
  return {
    home: { kubeconfigFiles: values.kubeconfig ?? [], context: values.context, namespace: values.namespace },
    planner: {
      hostSuffix: values.hostSuffix,
      syncNamespace: values.syncNamespace,
      exportToLimit: values.exportToLimit,
      gatewayNamespace: values.gatewayNamespace,
    },
    identity: {
      identityLabel: values.identityLabel,
      envAnnotation: values.envAnnotation,
      envLabels: values.envLabels,
      defaultEnv: values.defaultEnv,
    },
    redis: { url: values.redisUrl, tlsCaFile: values.redisTlsCaFile },
    resyncIntervalMs: values.resyncInterval,
    writeLimit: { perSecond: values.writeRate, burst: values.writeBurst },
    queue: {
      concurrencyPerCluster: values.queueConcurrency,
      attempts: values.queueAttempts,
      backoffMs: values.queueBackoff,
      backoffJitter: values.queueBackoffJitter,
      rateLimitJobs: values.queueRateLimit,
      rateLimitWindowMs: 1_000,
      keepFailed: values.queueKeepFailed,
    },
    http: values.listen,
    logLevel: values.logLevel,
    lease: { name: values.leaseName, durationMs: values.leaseDuration },
    sources,
  };
}
