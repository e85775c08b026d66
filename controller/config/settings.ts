// Every setting of `meridian controller`, in one table: its flag, its environment variable, its
// default (written as a user would write it, and parsed by the same schema), a help line, and the
// schema that turns the raw string into a typed value. The flag's commander attribute name is the
// key. Precedence: flag, then environment variable, then default.

import type { z } from "zod";

import { DEFAULT_GATEWAY_NAMESPACE } from "../core/fleet-index.js";
import { DEFAULT_SYNC_NAMESPACE } from "../../federation/discovery-scope.js";
import { DEFAULT_IDENTITY_OPTIONS } from "../../federation/identity.js";
import { MERIDIAN_NAMESPACE } from "../../federation/registration/names.js";
import { formatDuration } from "../../crds/common.js";
import { DEFAULT_QUEUE_SETTINGS } from "../queue/queue-settings.js";
import {
  decimal,
  dnsLabel,
  dnsSubdomain,
  durationMs,
  filePath,
  filePaths,
  integer,
  labelKey,
  labelKeys,
  listenAddress,
  logLevel,
  nonEmpty,
  redisUrl,
} from "./setting-values.js";

export interface Setting<S extends z.ZodType = z.ZodType> {
  /** Commander's flag spelling, with its value placeholder. */
  readonly flag: string;
  readonly env: string;
  /** Applied when neither flag nor variable is set; absent: the setting stays unset. */
  readonly default?: string;
  /** What happens when it is unset and has no default (for help and the README table). */
  readonly unset?: string;
  readonly help: string;
  readonly schema: S;
}

/** Keeps the literal shape (whether `default` is present) so loaded values are typed precisely. */
function setting<const T extends Setting>(spec: T): T {
  return Object.freeze(spec);
}

const Q = DEFAULT_QUEUE_SETTINGS;
const ID = DEFAULT_IDENTITY_OPTIONS;

export const SETTINGS = Object.freeze({
  kubeconfig: setting({
    flag: "--kubeconfig <files>",
    env: "KUBECONFIG",
    unset: "in-cluster service account, else ~/.kube/config",
    help: "kubeconfig of the home cluster; several files separated by ':' are merged, the first one's current context wins",
    schema: filePaths(),
  }),
  context: setting({
    flag: "--context <context>",
    env: "MERIDIAN_CONTEXT",
    unset: "the kubeconfig's current context",
    help: "context in the home kubeconfig",
    schema: nonEmpty(),
  }),
  namespace: setting({
    flag: "--namespace <namespace>",
    env: "MERIDIAN_NAMESPACE",
    default: MERIDIAN_NAMESPACE,
    help: "Meridian's namespace in the home cluster: member credentials, the Lease",
    schema: dnsLabel(),
  }),
  syncNamespace: setting({
    flag: "--sync-namespace <namespace>",
    env: "MERIDIAN_SYNC_NAMESPACE",
    default: DEFAULT_SYNC_NAMESPACE,
    help: "namespace of the generated ServiceEntries and DestinationRules in every member",
    schema: dnsLabel(),
  }),
  gatewayNamespace: setting({
    flag: "--gateway-namespace <namespace>",
    env: "MERIDIAN_GATEWAY_NAMESPACE",
    default: DEFAULT_GATEWAY_NAMESPACE,
    help: "namespace of the east-west gateways, always added to a narrowed exportTo",
    schema: dnsLabel(),
  }),
  hostSuffix: setting({
    flag: "--host-suffix <suffix>",
    env: "MERIDIAN_HOST_SUFFIX",
    default: "global",
    help: "suffix of global hosts: <env>.<identity>.<suffix>",
    schema: dnsSubdomain(),
  }),
  exportToLimit: setting({
    flag: "--export-to-limit <count>",
    env: "MERIDIAN_EXPORT_TO_LIMIT",
    default: "8",
    help: "narrow exportTo to the dependents' namespaces only when at most this many need a host (0: never narrow)",
    schema: integer(0, 1000),
  }),
  identityLabel: setting({
    flag: "--identity-label <key>",
    env: "MERIDIAN_IDENTITY_LABEL",
    default: ID.identityLabel,
    help: "pod-template (else Service) label holding a workload's identity",
    schema: labelKey(),
  }),
  envAnnotation: setting({
    flag: "--env-annotation <key>",
    env: "MERIDIAN_ENV_ANNOTATION",
    default: ID.envAnnotation,
    help: "annotation holding a workload's env, tried first",
    schema: labelKey(),
  }),
  envLabels: setting({
    flag: "--env-labels <keys>",
    env: "MERIDIAN_ENV_LABELS",
    default: ID.envLabels.join(","),
    help: "labels holding the env, tried in order after the annotation (comma-separated)",
    schema: labelKeys(),
  }),
  defaultEnv: setting({
    flag: "--default-env <env>",
    env: "MERIDIAN_DEFAULT_ENV",
    default: ID.defaultEnv,
    help: "env of workloads that declare none",
    schema: dnsLabel(),
  }),
  redisUrl: setting({
    flag: "--redis-url <url>",
    env: "REDIS_URL",
    unset: "a private local redis-server (queues not shared, lost on exit)",
    help: "Redis for the work queues: redis://[user:password@]host:port[/db], rediss:// for TLS; Redis >= 6.2 with maxmemory-policy noeviction",
    schema: redisUrl(),
  }),
  redisTlsCaFile: setting({
    flag: "--redis-tls-ca-file <file>",
    env: "REDIS_TLS_CA_FILE",
    unset: "the system's CAs",
    help: "PEM CA bundle that signed the Redis server's certificate (with a rediss:// URL)",
    schema: filePath(),
  }),
  resyncInterval: setting({
    flag: "--resync-interval <duration>",
    env: "MERIDIAN_RESYNC_INTERVAL",
    default: "3m",
    help: "how often every key is enqueued again as a safety net",
    schema: durationMs(1_000),
  }),
  writeRate: setting({
    flag: "--write-rate <per-second>",
    env: "MERIDIAN_WRITE_RATE",
    default: "50",
    help: "API writes per second per member cluster, shared by all replicas (a token bucket in Redis)",
    schema: decimal(0.01),
  }),
  writeBurst: setting({
    flag: "--write-burst <count>",
    env: "MERIDIAN_WRITE_BURST",
    default: "100",
    help: "API writes allowed at once per member cluster before --write-rate applies",
    schema: integer(1),
  }),
  queueConcurrency: setting({
    flag: "--queue-concurrency <count>",
    env: "MERIDIAN_QUEUE_CONCURRENCY",
    default: String(Q.concurrencyPerCluster),
    help: "reconcile jobs run at once per member cluster, per replica",
    schema: integer(1, 1000),
  }),
  queueAttempts: setting({
    flag: "--queue-attempts <count>",
    env: "MERIDIAN_QUEUE_ATTEMPTS",
    default: String(Q.attempts),
    help: "attempts before a reconcile job is given up (the next change or resync retries it)",
    schema: integer(1, 1000),
  }),
  queueBackoff: setting({
    flag: "--queue-backoff <duration>",
    env: "MERIDIAN_QUEUE_BACKOFF",
    default: formatDuration(Q.backoffMs),
    help: "first retry delay; doubles with each attempt",
    schema: durationMs(1),
  }),
  queueBackoffJitter: setting({
    flag: "--queue-backoff-jitter <fraction>",
    env: "MERIDIAN_QUEUE_BACKOFF_JITTER",
    default: String(Q.backoffJitter),
    help: "random share of each retry delay, 0 to 1",
    schema: decimal(0, 1),
  }),
  queueRateLimit: setting({
    flag: "--queue-rate-limit <per-second>",
    env: "MERIDIAN_QUEUE_RATE_LIMIT",
    default: String((Q.rateLimitJobs * 1000) / Q.rateLimitWindowMs),
    help: "reconcile jobs started per second per member cluster, across all replicas",
    schema: integer(1),
  }),
  queueKeepFailed: setting({
    flag: "--queue-keep-failed <count>",
    env: "MERIDIAN_QUEUE_KEEP_FAILED",
    default: String(Q.keepFailed),
    help: "failed jobs kept in Redis per member cluster for inspection",
    schema: integer(0),
  }),
  listen: setting({
    flag: "--listen <address>",
    env: "MERIDIAN_LISTEN",
    default: ":8080",
    help: "address of /healthz, /readyz and /metrics: host:port, :port (every interface) or [ipv6]:port",
    schema: listenAddress(),
  }),
  logLevel: setting({
    flag: "--log-level <level>",
    env: "MERIDIAN_LOG_LEVEL",
    default: "info",
    help: "fatal, error, warn, info, debug, trace or silent",
    schema: logLevel(),
  }),
  leaseName: setting({
    flag: "--lease-name <name>",
    env: "MERIDIAN_LEASE_NAME",
    default: "meridian-controller",
    help: "Lease (in --namespace) held by the replica that runs singleton duties: resync scheduling, drills",
    schema: dnsSubdomain(),
  }),
  leaseDuration: setting({
    flag: "--lease-duration <duration>",
    env: "MERIDIAN_LEASE_DURATION",
    default: "15s",
    help: "how long a Lease holder that stops renewing keeps it",
    schema: durationMs(3_000),
  }),
});

export type SettingKey = keyof typeof SETTINGS;

/** A setting's parsed value: always present when it has a default, else possibly undefined. */
export type SettingValues = {
  readonly [K in SettingKey]: (typeof SETTINGS)[K] extends { default: string } ? z.output<(typeof SETTINGS)[K]["schema"]> : z.output<(typeof SETTINGS)[K]["schema"]> | undefined;
};

export const SETTING_KEYS = Object.freeze(Object.keys(SETTINGS) as SettingKey[]);

/** How a setting is named in messages: both ways, e.g. `--resync-interval / MERIDIAN_RESYNC_INTERVAL`. */
export function settingName(key: SettingKey): string {
  const spec: Setting = SETTINGS[key];
  return `${spec.flag.split(" ")[0] ?? spec.flag} / ${spec.env}`;
}
