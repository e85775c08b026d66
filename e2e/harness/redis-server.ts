// A Redis for tests and the demo: REDIS_URL if set; else a testcontainers `redis:7-alpine` when a
// container runtime answers; else a local `redis-server` process on a free loopback port, started
// exactly as the controller starts its private one (controller/redis/local-redis-server.ts).
import { startLocalRedisServer } from "../../controller/redis/local-redis-server.js";
import { findExecutable } from "./find-executable.js";
import { readHarnessConfig, type HarnessConfig } from "./harness-config.js";
import { harnessLog } from "./harness-log.js";
import { redisMissingMessage } from "./prerequisite-messages.js";

export type RedisSource = "REDIS_URL" | "testcontainers" | "redis-server";

export interface TestRedis {
  readonly url: string;
  readonly source: RedisSource;
  readonly pid?: number;
  stop(): Promise<void>;
}

export type ContainerRuntime = { readonly available: true } | { readonly available: false; readonly reason: string };

/** Whether testcontainers finds a container runtime (Docker, Podman, …); where none runs it answers in milliseconds. */
export async function containerRuntime(): Promise<ContainerRuntime> {
  const { getContainerRuntimeClient } = await import("testcontainers");
  try {
    await getContainerRuntimeClient();
    return { available: true };
  } catch (err) {
    return { available: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

export class RedisMissingError extends Error {
  constructor() {
    super(redisMissingMessage());
    this.name = "RedisMissingError";
  }
}

/** Where startRedis will get its Redis from, or the one line that says how to get one. */
export async function redisSource(config: HarnessConfig): Promise<{ source: RedisSource; detail: string } | { problem: string }> {
  if (config.redisUrl !== undefined) return { source: "REDIS_URL", detail: config.redisUrl };
  const runtime = await containerRuntime();
  if (runtime.available) return { source: "testcontainers", detail: "a redis:7-alpine container" };
  const binary = await findExecutable("redis-server", config.searchPath);
  if (binary !== undefined) return { source: "redis-server", detail: `${binary} (no container runtime: ${runtime.reason})` };
  return { problem: redisMissingMessage() };
}

async function fromTestcontainers(): Promise<TestRedis> {
  const { GenericContainer } = await import("testcontainers");
  const container = await new GenericContainer("redis:7-alpine").withExposedPorts(6379).start();
  const url = `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
  return { url, source: "testcontainers", stop: async () => void (await container.stop()) };
}

/** The same private redis-server the controller starts without a Redis URL (one implementation). */
async function fromRedisServer(config: HarnessConfig): Promise<TestRedis> {
  if ((await findExecutable("redis-server", config.searchPath)) === undefined) throw new RedisMissingError();
  const server = await startLocalRedisServer({ searchPath: config.searchPath, log: harnessLog, startTimeoutMs: 20_000 });
  return { url: server.url, source: "redis-server", pid: server.pid, stop: () => server.stop() };
}

export async function startRedis(config: HarnessConfig = readHarnessConfig()): Promise<TestRedis> {
  if (config.redisUrl !== undefined) return { url: config.redisUrl, source: "REDIS_URL", stop: async () => undefined };
  const runtime = await containerRuntime();
  if (!runtime.available) harnessLog.info({ reason: runtime.reason }, "No container runtime answered; using a local redis-server");
  const redis = runtime.available ? await fromTestcontainers() : await fromRedisServer(config);
  harnessLog.info({ url: redis.url, source: redis.source, pid: redis.pid }, "Started Redis");
  return redis;
}
