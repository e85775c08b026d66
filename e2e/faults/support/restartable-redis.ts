// A redis-server of one fault case's own, on a port that stays its own across stops: stopped and
// started again empty (killed, its snapshot removed) or with its data (SHUTDOWN SAVE, then loaded
// from the snapshot on start), while the controller keeps its URL.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { Redis } from "ioredis";

import { answersPing } from "../../../controller/redis/local-redis-server.js";
import { findExecutable } from "../../harness/find-executable.js";
import { freePort } from "../../harness/free-port.js";
import { readHarnessConfig } from "../../harness/harness-config.js";
import { startProcess, type ManagedProcess } from "../../harness/managed-process.js";
import { RedisMissingError } from "../../harness/redis-server.js";
import { waitUntil } from "../../harness/wait-until.js";

export interface RestartableRedis {
  readonly url: string;
  readonly pid: () => number;
  /** Stops it: `keepData` saves a snapshot first (SHUTDOWN SAVE), else it is killed and its snapshot removed. */
  stop(options: { keepData: boolean }): Promise<void>;
  /** Starts it again on the same port (loading the snapshot, if one was kept). */
  start(): Promise<void>;
  /** Keys in the database now. */
  keyCount(): Promise<number>;
}

function args(port: number, dir: string): string[] {
  return ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"];
}

export async function startRestartableRedis(dir: string): Promise<RestartableRedis> {
  const binary = await findExecutable("redis-server", readHarnessConfig().searchPath);
  if (binary === undefined) throw new RedisMissingError();
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let process: ManagedProcess | undefined;
  const start = async (): Promise<void> => {
    const started = startProcess({ name: "redis-server", command: binary, args: args(port, dir), logFile: join(dir, "redis.log") });
    process = started;
    await waitUntil(() => answersPing(port), { what: `redis-server on ${port}`, timeoutMs: 20_000, failIf: () => (started.exited() ? `redis-server exited: ${started.logTail(10)}` : undefined) });
  };
  const withClient = async <T>(use: (redis: Redis) => Promise<T>): Promise<T> => {
    const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
    redis.on("error", () => undefined); // a stopped server is expected here; the command's own promise reports
    try {
      await redis.connect();
      return await use(redis);
    } finally {
      redis.disconnect();
    }
  };
  await start();
  return {
    url,
    pid: () => process?.pid ?? -1,
    start,
    keyCount: () => withClient((redis) => redis.dbsize()),
    stop: async ({ keepData }) => {
      if (keepData) {
        await withClient((redis) => redis.shutdown("SAVE")).catch(() => undefined);
        await waitUntil(async () => process?.exited() ?? true, { what: "redis-server to save and exit", timeoutMs: 20_000 });
      } else {
        await process?.stop(0);
        await rm(join(dir, "dump.rdb"), { force: true });
      }
    },
  };
}
