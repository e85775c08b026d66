import { describe, expect, it } from "vitest";

import { DEFAULT_IDENTITY_OPTIONS } from "../../federation/identity.js";
import { DEFAULT_QUEUE_SETTINGS } from "../queue/queue-settings.js";
import { loggableConfig } from "./controller-config.js";
import type { ControllerConfig } from "./controller-config.js";
import { loadControllerConfig } from "./load-controller-config.js";
import type { Env } from "./load-controller-config.js";
import { SETTINGS, SETTING_KEYS } from "./settings.js";
import type { Setting } from "./settings.js";

function load(flags: Record<string, unknown> = {}, env: Env = {}): ControllerConfig {
  const result = loadControllerConfig(flags, env);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.config;
}

function errorsOf(flags: Record<string, unknown>, env: Env = {}): readonly string[] {
  const result = loadControllerConfig(flags, env);
  if (result.ok) throw new Error("expected errors");
  return result.errors;
}

describe("loadControllerConfig: defaults", () => {
  it("needs nothing and gives the documented defaults", () => {
    const config = load();
    expect(config.home).toEqual({ kubeconfigFiles: [], context: undefined, namespace: "meridian-system" });
    expect(config.planner).toEqual({ hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: 8, gatewayNamespace: "istio-system" });
    expect(config.identity).toEqual(DEFAULT_IDENTITY_OPTIONS);
    expect(config.redis).toEqual({ url: undefined, tlsCaFile: undefined });
    expect(config.resyncIntervalMs).toBe(180_000);
    expect(config.writeLimit).toEqual({ perSecond: 50, burst: 100 });
    expect(config.queue).toEqual(DEFAULT_QUEUE_SETTINGS);
    expect(config.http).toEqual({ port: 8080 });
    expect(config.logLevel).toBe("info");
    expect(config.lease).toEqual({ name: "meridian-controller", durationMs: 15_000 });
    expect(config.sources.resyncInterval).toBe("default");
    expect(config.sources.redisUrl).toBe("unset");
  });

  it("parses every default with its own schema (a default in the wrong format would fail here)", () => {
    for (const key of SETTING_KEYS) {
      const spec: Setting = SETTINGS[key];
      if (spec.default !== undefined) expect(spec.schema.safeParse(spec.default).success, key).toBe(true);
    }
  });
});

describe("loadControllerConfig: precedence flag > env > default", () => {
  it("takes the environment over the default", () => {
    const config = load({}, { MERIDIAN_RESYNC_INTERVAL: "90s", KUBECONFIG: "/a.yaml::/b.yaml", MERIDIAN_LOG_LEVEL: "DEBUG" });
    expect(config.resyncIntervalMs).toBe(90_000);
    expect(config.home.kubeconfigFiles).toEqual(["/a.yaml", "/b.yaml"]);
    expect(config.logLevel).toBe("debug");
    expect(config.sources.resyncInterval).toBe("env");
  });

  it("takes the flag over the environment", () => {
    const config = load({ resyncInterval: "1h", kubeconfig: "/flag.yaml", listen: "127.0.0.1:0" }, { MERIDIAN_RESYNC_INTERVAL: "90s", KUBECONFIG: "/env.yaml" });
    expect(config.resyncIntervalMs).toBe(3_600_000);
    expect(config.home.kubeconfigFiles).toEqual(["/flag.yaml"]);
    expect(config.http).toEqual({ host: "127.0.0.1", port: 0 });
    expect(config.sources.resyncInterval).toBe("flag");
  });

  it("treats an empty or blank variable as unset, and trims values from the environment", () => {
    const config = load({}, { REDIS_URL: "", MERIDIAN_HOST_SUFFIX: "  ", MERIDIAN_EXPORT_TO_LIMIT: " 3 " });
    expect(config.redis.url).toBeUndefined();
    expect(config.planner.hostSuffix).toBe("global");
    expect(config.planner.exportToLimit).toBe(3);
  });

  it("reports an explicitly empty flag", () => {
    expect(errorsOf({ context: "" })).toEqual(["--context / MERIDIAN_CONTEXT: is empty"]);
  });

  it("maps the queue flags onto QueueSettings", () => {
    const config = load({ queueConcurrency: "2", queueAttempts: "3", queueBackoff: "1s", queueBackoffJitter: "0", queueRateLimit: "10", queueKeepFailed: "0" });
    expect(config.queue).toEqual({ concurrencyPerCluster: 2, attempts: 3, backoffMs: 1000, backoffJitter: 0, rateLimitJobs: 10, rateLimitWindowMs: 1000, keepFailed: 0 });
  });

  it("maps the identity flags onto IdentityOptions, keeping the order of env labels", () => {
    const config = load({ identityLabel: "app.kubernetes.io/name", envLabels: "stage, env", defaultEnv: "prod" }, { MERIDIAN_ENV_ANNOTATION: "example.com/env" });
    expect(config.identity).toEqual({ identityLabel: "app.kubernetes.io/name", envAnnotation: "example.com/env", envLabels: ["stage", "env"], defaultEnv: "prod" });
  });

  it("ignores options it does not know (commander's own, other commands')", () => {
    expect(load({ output: "json", version: true }).logLevel).toBe("info");
  });
});

describe("loadControllerConfig: bad values", () => {
  const cases: [Record<string, unknown>, Env, string][] = [
    [{ resyncInterval: "5x" }, {}, '--resync-interval / MERIDIAN_RESYNC_INTERVAL: "5x" is not a duration (use e.g. 90s, 5m, 1h)'],
    [{}, { MERIDIAN_RESYNC_INTERVAL: "500ms" }, '--resync-interval / MERIDIAN_RESYNC_INTERVAL: "500ms" is too short (at least 1s)'],
    [{ leaseDuration: "2s" }, {}, '--lease-duration / MERIDIAN_LEASE_DURATION: "2s" is too short (at least 3s)'],
    [{ queueBackoff: "" }, {}, '--queue-backoff / MERIDIAN_QUEUE_BACKOFF: "" is not a duration (use e.g. 90s, 5m, 1h)'],
    [{ namespace: "Meridian" }, {}, `--namespace / MERIDIAN_NAMESPACE: "Meridian" must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`],
    [{}, { MERIDIAN_SYNC_NAMESPACE: "a".repeat(64) }, `--sync-namespace / MERIDIAN_SYNC_NAMESPACE: "${"a".repeat(64)}" must be at most 63 characters (has 64)`],
    [{ hostSuffix: "-global" }, {}, `--host-suffix / MERIDIAN_HOST_SUFFIX: "-global" is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', e.g. global or mesh.example.com)`],
    [{ exportToLimit: "-1" }, {}, '--export-to-limit / MERIDIAN_EXPORT_TO_LIMIT: "-1" is negative: it must be a non-negative whole number (from 0 to 1000)'],
    [{ exportToLimit: "1001" }, {}, '--export-to-limit / MERIDIAN_EXPORT_TO_LIMIT: "1001" is too large (at most 1000)'],
    [{ writeRate: "fast" }, {}, '--write-rate / MERIDIAN_WRITE_RATE: "fast" is not a number (use e.g. 50 or 0.5)'],
    [{ writeRate: "-1" }, {}, '--write-rate / MERIDIAN_WRITE_RATE: "-1" is negative: it must be a positive number (at least 0.01)'],
    [{}, { MERIDIAN_QUEUE_BACKOFF_JITTER: "-0.5" }, '--queue-backoff-jitter / MERIDIAN_QUEUE_BACKOFF_JITTER: "-0.5" is negative: it must be a non-negative number (from 0 to 1)'],
    [{ writeBurst: "-3" }, {}, '--write-burst / MERIDIAN_WRITE_BURST: "-3" is negative: it must be a positive whole number (at least 1)'],
    [{ writeRate: "0" }, {}, '--write-rate / MERIDIAN_WRITE_RATE: "0" is too small (at least 0.01)'],
    [{ writeBurst: "0" }, {}, '--write-burst / MERIDIAN_WRITE_BURST: "0" is too small (at least 1)'],
    [{ queueConcurrency: "2.5" }, {}, '--queue-concurrency / MERIDIAN_QUEUE_CONCURRENCY: "2.5" is not a whole number'],
    [{ queueAttempts: "0" }, {}, '--queue-attempts / MERIDIAN_QUEUE_ATTEMPTS: "0" is too small (at least 1)'],
    [{ queueBackoffJitter: "1.5" }, {}, '--queue-backoff-jitter / MERIDIAN_QUEUE_BACKOFF_JITTER: "1.5" is too large (at most 1)'],
    [{ queueRateLimit: "0" }, {}, '--queue-rate-limit / MERIDIAN_QUEUE_RATE_LIMIT: "0" is too small (at least 1)'],
    [{ queueKeepFailed: "many" }, {}, '--queue-keep-failed / MERIDIAN_QUEUE_KEEP_FAILED: "many" is not a whole number'],
    [{ listen: "8080" }, {}, '--listen / MERIDIAN_LISTEN: "8080" is not a listen address (use e.g. :8080, 0.0.0.0:8080, 127.0.0.1:8080 or [::1]:8080)'],
    [{ listen: ":70000" }, {}, '--listen / MERIDIAN_LISTEN: ":70000" is not a listen address (use e.g. :8080, 0.0.0.0:8080, 127.0.0.1:8080 or [::1]:8080)'],
    [{}, { MERIDIAN_LOG_LEVEL: "verbose" }, '--log-level / MERIDIAN_LOG_LEVEL: "verbose" is not a log level (use fatal, error, warn, info, debug, trace, silent)'],
    [{ leaseName: "Meridian_Lease" }, {}, `--lease-name / MERIDIAN_LEASE_NAME: "Meridian_Lease" is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', e.g. global or mesh.example.com)`],
    [{ identityLabel: "bad key!" }, {}, '--identity-label / MERIDIAN_IDENTITY_LABEL: "bad key!" is not a label or annotation key (use e.g. identity or admiral.io/env)'],
    [{ envAnnotation: "Admiral.io/env" }, {}, '--env-annotation / MERIDIAN_ENV_ANNOTATION: "Admiral.io/env" is not a label or annotation key (use e.g. identity or admiral.io/env)'],
    [{ envLabels: "env,,stage" }, {}, '--env-labels / MERIDIAN_ENV_LABELS: "" is not a label or annotation key (use e.g. identity or admiral.io/env); give a comma-separated list'],
    [{ defaultEnv: "" }, {}, "--default-env / MERIDIAN_DEFAULT_ENV: \"\" must not be empty"],
    [{ kubeconfig: ":" }, {}, "--kubeconfig / KUBECONFIG: is empty (give a kubeconfig file, or several separated by ':')"],
    [{ redisTlsCaFile: " " }, {}, "--redis-tls-ca-file / REDIS_TLS_CA_FILE: is empty (give a file path)"],
    [{ redisUrl: "http://redis:6379" }, {}, '--redis-url / REDIS_URL: "http://redis:6379" has the scheme http: use redis:// or rediss:// (TLS)'],
    [{ redisUrl: "redis://redis:6379/queues" }, {}, '--redis-url / REDIS_URL: "redis://redis:6379/queues" has the path /queues: only a database number may follow the host, e.g. /0'],
    [{ resyncInterval: 5 }, {}, "--resync-interval / MERIDIAN_RESYNC_INTERVAL: must be a string (got number)"],
  ];

  it.each(cases)("%j %j", (flags, env, message) => {
    expect(errorsOf(flags, env)).toEqual([message]);
  });

  it("reports every bad setting at once", () => {
    expect(errorsOf({ resyncInterval: "soon", writeBurst: "x" }, { MERIDIAN_LOG_LEVEL: "loud" })).toHaveLength(3);
  });

  it("never repeats a Redis password in a message", () => {
    const [message] = errorsOf({ redisUrl: "redis://user:hunter2@redis:6379/x" });
    expect(message).toBe('--redis-url / REDIS_URL: "redis://user:***@redis:6379/x" has the path /x: only a database number may follow the host, e.g. /0');
    const [unparsable] = errorsOf({}, { REDIS_URL: "redis://:hunter2@[bad" });
    expect(unparsable).not.toContain("hunter2");
  });

  it("wants a rediss:// URL with a CA file", () => {
    expect(errorsOf({ redisTlsCaFile: "/ca.pem" })).toEqual([
      "--redis-tls-ca-file / REDIS_TLS_CA_FILE: needs --redis-url / REDIS_URL with a rediss:// URL (the private local redis-server has no TLS)",
    ]);
    expect(errorsOf({ redisTlsCaFile: "/ca.pem", redisUrl: "redis://r:6379" })).toEqual([
      "--redis-tls-ca-file / REDIS_TLS_CA_FILE: the Redis URL is redis:// (no TLS); use rediss:// to verify the server with this CA, or drop the CA file",
    ]);
    expect(load({ redisTlsCaFile: "/ca.pem" }, { REDIS_URL: "rediss://default:pw@r:6380/2" }).redis).toEqual({ url: "rediss://default:pw@r:6380/2", tlsCaFile: "/ca.pem" });
  });
});

describe("the loaded configuration", () => {
  it("is frozen all the way down", () => {
    const config = load({ kubeconfig: "/a:/b" });
    expect(Object.isFrozen(config)).toBe(true);
    for (const part of [config.home, config.home.kubeconfigFiles, config.planner, config.identity, config.identity.envLabels, config.queue, config.http, config.lease, config.sources]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    expect(() => {
      (config as { logLevel: string }).logLevel = "trace";
    }).toThrow(TypeError);
  });

  it("is loggable without the Redis password", () => {
    const config = load({ redisUrl: "redis://:hunter2@redis:6379" });
    expect(JSON.stringify(loggableConfig(config))).not.toContain("hunter2");
    expect(loggableConfig(config)["redis"]).toEqual({ url: "redis://:***@redis:6379", tlsCaFile: undefined });
  });
});
