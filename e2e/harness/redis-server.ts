// A Redis for tests: REDIS_URL if set, else a testcontainers container if a container runtime
// answers, else a local `redis-server` process on a free loopback port, started exactly as the
// controller starts its private one (controller/redis/local-redis-server.ts).
import { startLocalRedisServer } from "../../controller/redis/local-redis-server.js";
import { readHarnessConfig, type HarnessConfig } from "./harness-config.js";
import { harnessLog } from "./harness-log.js";

export interface TestRedis {
  readonly url: string;
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

/** The same private redis-server the controller starts without a Redis URL (one implementation). */
async function fromRedisServer(config: HarnessConfig): Promise<TestRedis> {
  const server = await startLocalRedisServer({ searchPath: config.searchPath, log: harnessLog, startTimeoutMs: 20_000 });
  return { url: server.url, pid: server.pid, stop: () => server.stop() };
}

export async function startRedis(config: HarnessConfig = readHarnessConfig()): Promise<TestRedis> {
  if (config.redisUrl !== undefined) return { url: config.redisUrl, stop: async () => undefined };
  const redis = (await fromTestcontainers()) ?? (await fromRedisServer(config));
  harnessLog.info({ url: redis.url, pid: redis.pid }, "Started Redis");
  return redis;
}
