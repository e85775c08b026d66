// The controller's Redis: connect to the given URL (or start a private local redis-server when
// there is none), check that BullMQ can use it, and hand controller/queue its connections: one
// shared connection for queue commands, and a factory for worker connections (BullMQ needs
// `maxRetriesPerRequest: null` there). The password never reaches a log line or an error message.

import { readFile } from "node:fs/promises";
import { Redis } from "ioredis";
import type { RedisOptions } from "ioredis";
import type { Logger } from "pino";

import { checkRedisForBullMQ } from "./check-redis.js";
import type { RedisCheck } from "./check-redis.js";
import { startLocalRedisServer } from "./local-redis-server.js";
import type { LocalRedisServer } from "./local-redis-server.js";
import { RedisConnectError, RedisUnsuitableError } from "./redis-errors.js";
import { redactRedisUrl } from "./redis-url.js";

export interface ConnectRedisOptions {
  /** redis:// or rediss:// (validated by controller/config). Undefined: a private local redis-server. */
  readonly url?: string;
  /** PEM CA bundle for a rediss:// URL. */
  readonly tlsCaFile?: string;
  readonly log: Logger;
  /** Without a URL: where to look for redis-server (the PATH's directories); false: a URL is required. */
  readonly startLocal: { readonly searchPath: readonly string[] } | false;
  /** Connect timeout per attempt. Default 10 s. */
  readonly connectTimeoutMs?: number;
}

export interface RedisConnections {
  /** Shared by every queue of this process (ReconcileQueuesDeps.commands). */
  readonly commands: Redis;
  /** A new connection for a BullMQ worker (ReconcileQueuesDeps.workerConnection). */
  readonly workerConnection: () => Redis;
  /**
   * Auto-pipelined (commands issued in one event-loop turn go out in one write), for the many small
   * writes of concurrent reconciles (WrittenState): one socket write per command was about 9% of the
   * controller's busy time in the drill benchmark. Not for BullMQ, which manages its own commands.
   */
  readonly pipelined: Redis;
  /** The URL without its password, for logs. */
  readonly displayUrl: string;
  /** Set when a private local redis-server was started. */
  readonly localServer: Pick<LocalRedisServer, "pid" | "port"> | undefined;
  /** What the start-up check found (version, eviction policy, warnings). */
  readonly check: RedisCheck;
  /** Closes every connection made here and stops the private server, if any. Idempotent. */
  close(): Promise<void>;
}

const QUIT_TIMEOUT_MS = 2_000;

async function baseOptions(options: ConnectRedisOptions): Promise<RedisOptions> {
  const base: RedisOptions = { connectionName: "meridian-controller", connectTimeout: options.connectTimeoutMs ?? 10_000 };
  if (options.tlsCaFile === undefined) return base;
  try {
    return { ...base, tls: { ca: await readFile(options.tlsCaFile) } };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new RedisConnectError(`Cannot read the Redis CA file ${options.tlsCaFile} (${code})`, { cause: err });
  }
}

/** Connects once; the first error the client reports becomes the message (connect() only says "Connection is closed"). */
async function openCommands(url: string, options: RedisOptions): Promise<Redis> {
  const client = new Redis(url, { ...options, lazyConnect: true });
  let firstError: Error | undefined;
  const onError = (err: Error): void => {
    firstError ??= err;
  };
  client.on("error", onError);
  try {
    await client.connect();
    return client;
  } catch (err) {
    client.disconnect();
    const cause = firstError ?? (err as Error);
    throw new RedisConnectError(`Cannot connect to Redis at ${redactRedisUrl(url)}: ${cause.message}`, { cause });
  } finally {
    client.off("error", onError);
  }
}

/** Logs a lost connection once, and its return. */
function watchConnection(client: Redis, displayUrl: string, log: Logger): void {
  let lost = false;
  client.on("error", (err: Error) => {
    if (!lost) log.warn({ redis: displayUrl, err }, "Lost the Redis connection; reconnecting");
    lost = true;
  });
  client.on("ready", () => {
    if (lost) log.info({ redis: displayUrl }, "Reconnected to Redis");
    lost = false;
  });
}

function ended(client: Redis): Promise<void> {
  if (client.status === "end") return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, QUIT_TIMEOUT_MS).unref();
    client.once("end", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** QUIT when connected (pending replies arrive first), else drop the connection; resolves once it has ended. */
export async function closeClient(client: Redis): Promise<void> {
  if (client.status === "end") return;
  const end = ended(client);
  if (client.status === "ready") {
    const timer = new Promise<void>((resolve) => setTimeout(resolve, QUIT_TIMEOUT_MS).unref());
    await Promise.race([client.quit().catch(() => undefined), timer]);
  }
  client.disconnect();
  await end;
}

async function localOrNothing(options: ConnectRedisOptions): Promise<LocalRedisServer | undefined> {
  if (options.url !== undefined) return undefined;
  if (options.startLocal === false) {
    throw new RedisConnectError("No Redis URL: set --redis-url / REDIS_URL to a Redis >= 6.2 with maxmemory-policy noeviction");
  }
  return startLocalRedisServer({ searchPath: options.startLocal.searchPath, log: options.log });
}

async function checkedCommands(url: string, clientOptions: RedisOptions, log: Logger): Promise<{ commands: Redis; check: RedisCheck }> {
  const commands = await openCommands(url, clientOptions);
  watchConnection(commands, redactRedisUrl(url), log);
  try {
    const check = await checkRedisForBullMQ(commands);
    if (check.errors.length > 0) throw new RedisUnsuitableError(redactRedisUrl(url), check.errors);
    for (const warning of check.warnings) log.warn({ redis: redactRedisUrl(url), version: check.version }, warning);
    return { commands, check };
  } catch (err) {
    await closeClient(commands);
    throw err;
  }
}

export async function connectRedis(options: ConnectRedisOptions): Promise<RedisConnections> {
  const local = await localOrNothing(options);
  const url = options.url ?? local?.url ?? "";
  const displayUrl = redactRedisUrl(url);
  try {
    const clientOptions = await baseOptions(options);
    const { commands, check } = await checkedCommands(url, clientOptions, options.log);
    options.log.info({ redis: displayUrl, version: check.version, maxmemoryPolicy: check.maxmemoryPolicy, local: local !== undefined }, "Connected to Redis");
    return connections({ url, displayUrl, clientOptions, commands, check, local, log: options.log });
  } catch (err) {
    await local?.stop();
    throw err;
  }
}

interface Parts {
  readonly url: string;
  readonly displayUrl: string;
  readonly clientOptions: RedisOptions;
  readonly commands: Redis;
  readonly check: RedisCheck;
  readonly local: LocalRedisServer | undefined;
  readonly log: Logger;
}

function connections(parts: Parts): RedisConnections {
  const workers = new Set<Redis>();
  let closing: Promise<void> | undefined;
  const workerConnection = (): Redis => {
    const client = new Redis(parts.url, { ...parts.clientOptions, maxRetriesPerRequest: null });
    // BullMQ reports a worker's connection errors as the worker's "error" events; this only keeps
    // ioredis from printing "Unhandled error event" before the worker attaches.
    client.on("error", (err: Error) => parts.log.debug({ redis: parts.displayUrl, err }, "Redis worker connection reported an error"));
    workers.add(client);
    client.once("end", () => workers.delete(client));
    return client;
  };
  const pipelined = new Redis(parts.url, { ...parts.clientOptions, enableAutoPipelining: true });
  pipelined.on("error", (err: Error) => parts.log.debug({ redis: parts.displayUrl, err }, "Redis pipelined connection reported an error"));
  const close = async (): Promise<void> => {
    await Promise.all([...workers, parts.commands, pipelined].map(closeClient));
    await parts.local?.stop();
  };
  return {
    commands: parts.commands,
    workerConnection,
    pipelined,
    displayUrl: parts.displayUrl,
    localServer: parts.local === undefined ? undefined : { pid: parts.local.pid, port: parts.local.port },
    check: parts.check,
    close: () => (closing ??= close()),
  };
}
