// The controller's Redis edge against real redis-servers: the harness Redis, a second one this file
// starts (evicting keys, with a password and an ACL user without CONFIG), one with TLS, and the
// private local redis-server the controller starts itself when it has no URL.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { pino } from "pino";
import type { Logger } from "pino";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";

import { DEFAULT_QUEUE_SETTINGS, ReconcileQueues } from "../controller/queue/index.js";
import { LocalRedisError, RedisConnectError, RedisUnsuitableError, checkRedisForBullMQ, connectRedis } from "../controller/redis/index.js";
import type { RedisConnections } from "../controller/redis/index.js";
import { freePort } from "./harness/free-port.js";
import { startProcess } from "./harness/managed-process.js";
import type { ManagedProcess } from "./harness/managed-process.js";
import { answersPing as redisPing } from "../controller/redis/local-redis-server.js";
import { waitUntil } from "./harness/wait-until.js";
import "./support/provided-context.js";

const { url: harnessUrl } = inject("redis");
const searchPath = (process.env["PATH"] ?? "").split(":").filter((dir) => dir !== "");
const dir = mkdtempSync(join(tmpdir(), "meridian-redis-e2e-"));
const started: ManagedProcess[] = [];
const opened: RedisConnections[] = [];

function capturedLog(): { log: Logger; text: () => string } {
  const lines: string[] = [];
  return { log: pino({ level: "debug" }, { write: (line: string) => void lines.push(line) }), text: () => lines.join("") };
}

/** A redis-server of this file's own, stopped by PID in afterAll. `port` 0 turns plain TCP off (TLS only). */
async function startRedisServer(name: string, args: string[], port?: number): Promise<{ port: number; process: ManagedProcess }> {
  const listen = port ?? (await freePort());
  const base = ["--port", String(listen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir];
  const process = startProcess({ name, command: "redis-server", args: [...base, ...args], logFile: join(dir, `${name}.log`) });
  started.push(process);
  // PING would need the password, and TLS: the server's own log says when it listens.
  const ready = (): Promise<boolean> => Promise.resolve(process.logTail(50).includes("Ready to accept connections"));
  await waitUntil(ready, { what: name, timeoutMs: 20_000, failIf: () => (process.exited() ? `${name} exited: ${process.logTail(20)}` : undefined) });
  return { port: listen, process };
}

async function connect(options: Parameters<typeof connectRedis>[0]): Promise<RedisConnections> {
  const connections = await connectRedis(options);
  opened.push(connections);
  return connections;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const password = randomBytes(12).toString("hex");
let evicting: { port: number; url: string };

beforeAll(async () => {
  const { port } = await startRedisServer("redis-evicting", ["--maxmemory-policy", "allkeys-lru", "--requirepass", password]);
  evicting = { port, url: `redis://:${password}@127.0.0.1:${port}` };
});

afterAll(async () => {
  await Promise.allSettled(opened.map((connections) => connections.close()));
  await Promise.allSettled(started.map((server) => server.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe("connectRedis with a URL", () => {
  test("connects to a suitable Redis and hands controller/queue connections that run jobs", async () => {
    const { log, text } = capturedLog();
    const redis = await connect({ url: harnessUrl, log, startLocal: false });
    expect(redis.check).toMatchObject({ maxmemoryPolicy: "noeviction", policySource: "config", errors: [] });
    expect(redis.localServer).toBeUndefined();
    expect(await redis.commands.ping()).toBe("PONG");
    expect(text()).toContain('"msg":"Connected to Redis"');

    const queues = new ReconcileQueues({ commands: redis.commands, workerConnection: redis.workerConnection, settings: DEFAULT_QUEUE_SETTINGS, log, now: () => Date.now() });
    const cluster = `c-${randomUUID().slice(0, 8)}`;
    const seen: string[] = [];
    queues.startWorker(cluster, async (job) => void seen.push(job.identity));
    await queues.enqueue([{ cluster, identity: "payments" }], "test");
    await waitUntil(() => Promise.resolve(seen.length === 1), { what: "the job to run", timeoutMs: 20_000 });
    expect(seen).toEqual(["payments"]);
    await queues.close();

    const worker = redis.workerConnection();
    expect(worker.options.maxRetriesPerRequest).toBeNull();
    await redis.close();
    expect(redis.commands.status).toBe("end");
    expect(worker.status).toBe("end");
  });

  test("refuses a Redis that evicts keys, and says how to fix it", async () => {
    const { log } = capturedLog();
    const error = await connectRedis({ url: evicting.url, log, startLocal: false }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RedisUnsuitableError);
    const message = (error as Error).message;
    expect(message).toContain(`Redis at redis://:***@127.0.0.1:${evicting.port} cannot hold Meridian's work queues`);
    expect(message).toContain("its maxmemory-policy is allkeys-lru");
    expect(message).toContain("CONFIG SET maxmemory-policy noeviction");
    expect(message).not.toContain(password);
  });

  test("reads the policy from INFO memory when CONFIG is not permitted (managed Redis)", async () => {
    const admin = new Redis(evicting.url);
    await admin.call("ACL", "SETUSER", "limited", "on", ">limited-pw", "~*", "&*", "+@all", "-config");
    await admin.quit();
    const limited = new Redis(`redis://limited:limited-pw@127.0.0.1:${evicting.port}`);
    await expect(limited.config("GET", "maxmemory-policy")).rejects.toThrow(/NOPERM/);
    const check = await checkRedisForBullMQ(limited);
    await limited.quit();
    expect(check).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+/) as unknown, maxmemoryPolicy: "allkeys-lru", policySource: "info" });
    expect(check.errors[0]).toContain("CONFIG SET maxmemory-policy noeviction");
  });

  test("a wrong password is a clear error that does not repeat the password", async () => {
    const { log, text } = capturedLog();
    const wrong = `wrong-${password}`;
    const error = await connectRedis({ url: `redis://:${wrong}@127.0.0.1:${evicting.port}`, log, startLocal: false }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RedisConnectError);
    expect((error as Error).message).toBe(`Cannot connect to Redis at redis://:***@127.0.0.1:${evicting.port}: WRONGPASS invalid username-password pair or user is disabled.`);
    expect(text()).not.toContain(wrong);
  });

  test("an unreachable Redis is a clear error naming the URL", async () => {
    const port = await freePort();
    const { log } = capturedLog();
    await expect(connectRedis({ url: `redis://:secret@127.0.0.1:${port}`, log, startLocal: false })).rejects.toThrow(
      `Cannot connect to Redis at redis://:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});

describe("connectRedis with TLS (rediss://)", () => {
  let tls: { port: number; ca: string };

  beforeAll(async () => {
    const ca = join(dir, "ca.pem");
    const openssl = (...args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
    writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", ca, "-days", "1", "-subj", "/CN=meridian-test-ca");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    openssl("x509", "-req", "-in", "server.csr", "-CA", ca, "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "san.ext");
    const port = await freePort();
    const certificates = ["--tls-cert-file", join(dir, "server.pem"), "--tls-key-file", join(dir, "server.key"), "--tls-ca-cert-file", ca, "--tls-auth-clients", "no"];
    await startRedisServer("redis-tls", ["--maxmemory-policy", "noeviction", "--tls-port", String(port), ...certificates], 0);
    tls = { port, ca };
  });

  test("verifies the server against REDIS_TLS_CA_FILE", async () => {
    const { log } = capturedLog();
    const redis = await connect({ url: `rediss://127.0.0.1:${tls.port}`, tlsCaFile: tls.ca, log, startLocal: false });
    expect(await redis.commands.ping()).toBe("PONG");
    const worker = redis.workerConnection();
    expect(await worker.ping()).toBe("PONG");
    await redis.close();
  });

  test("refuses a server it cannot verify, and an unreadable CA file", async () => {
    const { log } = capturedLog();
    await expect(connectRedis({ url: `rediss://127.0.0.1:${tls.port}`, log, startLocal: false, connectTimeoutMs: 3_000 })).rejects.toThrow(
      new RegExp(`^Cannot connect to Redis at rediss://127.0.0.1:${tls.port}: .*(self.signed|unable to verify|certificate)`, "i"),
    );
    await expect(connectRedis({ url: `rediss://127.0.0.1:${tls.port}`, tlsCaFile: join(dir, "missing.pem"), log, startLocal: false })).rejects.toThrow(
      `Cannot read the Redis CA file ${join(dir, "missing.pem")} (ENOENT)`,
    );
  });
});

describe("connectRedis without a URL", () => {
  test("starts a private local redis-server, warns, and stops it by PID on close", async () => {
    const { log, text } = capturedLog();
    const redis = await connect({ log, startLocal: { searchPath } });
    const local = redis.localServer;
    if (local === undefined) throw new Error("expected a private redis-server");
    expect(pidAlive(local.pid)).toBe(true);
    expect(readFileSync(`/proc/${local.pid}/cmdline`, "utf8")).toContain("redis-server");
    expect(redis.displayUrl).toBe(`redis://127.0.0.1:${local.port}`);
    expect(await redis.commands.config("GET", "save")).toEqual(["save", ""]);
    expect(await redis.commands.config("GET", "appendonly")).toEqual(["appendonly", "no"]);
    expect(redis.check).toMatchObject({ maxmemoryPolicy: "noeviction", errors: [] });
    const warning = text()
      .split("\n")
      .find((line) => line.includes("Started a private local redis-server"));
    expect(JSON.parse(warning ?? "{}")).toMatchObject({
      level: 40,
      port: local.port,
      redisPid: local.pid,
      msg: "Started a private local redis-server: work queues are not shared with other replicas and are lost on exit; set REDIS_URL for production",
    });

    await redis.close();
    expect(pidAlive(local.pid)).toBe(false);
    expect(await redisPing(local.port)).toBe(false);
  });

  test("says what to do when redis-server is not installed, or a URL is required", async () => {
    const { log } = capturedLog();
    await expect(connectRedis({ log, startLocal: { searchPath: [join(dir, "no-such-dir")] } })).rejects.toThrow(LocalRedisError);
    await expect(connectRedis({ log, startLocal: { searchPath: [join(dir, "no-such-dir")] } })).rejects.toThrow(/set --redis-url \/ REDIS_URL/);
    await expect(connectRedis({ log, startLocal: false })).rejects.toThrow("No Redis URL: set --redis-url / REDIS_URL to a Redis >= 6.2 with maxmemory-policy noeviction");
  });
});
