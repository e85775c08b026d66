// A Redis for tests: REDIS_URL if set, else a testcontainers container if a container runtime
// answers, else a local `redis-server` process on a free loopback port.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findExecutable } from "./find-executable.js";
import { freePort } from "./free-port.js";
import { readHarnessConfig, type HarnessConfig } from "./harness-config.js";
import { harnessLog } from "./harness-log.js";
import { startProcess } from "./managed-process.js";
import { redisPing } from "./redis-ping.js";
import { waitUntil } from "./wait-until.js";

export interface TestRedis {
  readonly url: string;
  /** Set when the harness started a process; its log for failing tests. */
  readonly logFile?: string;
  readonly pid?: number;
  stop(): Promise<void>;
}

/** The slice of testcontainers used here; the package is optional and usually absent. */
interface StartedContainer {
  getHost(): string;
  getMappedPort(port: number): number;
  stop(): Promise<unknown>;
}
interface TestcontainersModule {
  GenericContainer: new (image: string) => { withExposedPorts(port: number): { start(): Promise<StartedContainer> } };
}

export const REDIS_ARGS: readonly string[] = ["--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"];

async function fromTestcontainers(): Promise<TestRedis | undefined> {
  const specifier = "testcontainers";
  try {
    const { GenericContainer } = (await import(specifier)) as TestcontainersModule;
    const container = await new GenericContainer("redis:7-alpine").withExposedPorts(6379).start();
    const url = `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
    return { url, stop: async () => void (await container.stop()) };
  } catch {
    return undefined; // not installed, or no container runtime answers
  }
}

async function fromRedisServer(config: HarnessConfig): Promise<TestRedis> {
  const binary = await findExecutable("redis-server", config.searchPath);
  if (binary === undefined) {
    throw new Error("redis-server was not found on PATH: install it (`apt-get install -y redis-server`) or set REDIS_URL to an existing Redis.");
  }
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "meridian-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, ...REDIS_ARGS];
  const process = startProcess({ name: "redis-server", command: binary, args, logFile: join(dir, "redis.log") });
  const stop = async (): Promise<void> => {
    await process.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(() => redisPing(port), {
      what: `redis-server on port ${port}`,
      timeoutMs: 20_000,
      failIf: () => (process.exited() ? "redis-server exited" : undefined),
    });
  } catch (err) {
    const tail = process.logTail(20);
    await stop();
    throw new Error(`${(err as Error).message}\n${tail}`, { cause: err });
  }
  return { url: `redis://127.0.0.1:${port}`, logFile: process.logFile, pid: process.pid, stop };
}

export async function startRedis(config: HarnessConfig = readHarnessConfig()): Promise<TestRedis> {
  if (config.redisUrl !== undefined) return { url: config.redisUrl, stop: async () => undefined };
  const redis = (await fromTestcontainers()) ?? (await fromRedisServer(config));
  harnessLog.info({ url: redis.url, pid: redis.pid }, "Started Redis");
  return redis;
}
