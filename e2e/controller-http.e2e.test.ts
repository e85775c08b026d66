// The controller's health and metrics server over real HTTP: /healthz, /metrics, and /readyz
// following the readiness callback and a real redis-server that this file pauses, resumes and
// finally stops by PID.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { HealthServer, createMetrics, recordClusterState } from "../controller/observability/index.js";
import type { Listening, ReadinessReport } from "../controller/observability/index.js";
import { connectRedis } from "../controller/redis/index.js";
import type { RedisConnections } from "../controller/redis/index.js";
import { freePort } from "./harness/free-port.js";
import { startProcess } from "./harness/managed-process.js";
import type { ManagedProcess } from "./harness/managed-process.js";
import { answersPing as redisPing } from "../controller/redis/local-redis-server.js";
import { waitUntil } from "./harness/wait-until.js";

const dir = mkdtempSync(join(tmpdir(), "meridian-http-e2e-"));
const log = pino({ level: "silent" });
const metrics = createMetrics();
const abort = new AbortController();
let report: ReadinessReport = { clusters: [{ cluster: "eu-west", synced: false, awaited: true, problem: "syncing" }, { cluster: "us-east", synced: true, awaited: false }] };
let readinessError: Error | undefined;
let redisServer: ManagedProcess;
let redis: RedisConnections;
let listening: Listening;
let base: string;

async function get(path: string, init?: RequestInit): Promise<{ status: number; type: string | null; text: string; json: () => unknown }> {
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type"), text, json: () => JSON.parse(text) as unknown };
}

beforeAll(async () => {
  const port = await freePort();
  redisServer = startProcess({
    name: "redis-http-e2e",
    command: "redis-server",
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction", "--dir", dir],
    logFile: join(dir, "redis.log"),
  });
  await waitUntil(() => redisPing(port), { what: "redis-server", timeoutMs: 20_000, failIf: () => (redisServer.exited() ? redisServer.logTail(20) : undefined) });
  redis = await connectRedis({ url: `redis://127.0.0.1:${port}`, log, startLocal: false });
  const server = new HealthServer({
    listen: { host: "127.0.0.1", port: 0 },
    registry: metrics.registry,
    readiness: () => {
      if (readinessError !== undefined) throw readinessError;
      return report;
    },
    redis: redis.commands,
    log,
  });
  listening = await server.start(abort.signal);
  base = `http://127.0.0.1:${listening.port}`;
});

afterAll(async () => {
  abort.abort();
  await redis.close();
  await redisServer.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("health and metrics server (real HTTP)", () => {
  test("/healthz answers 200 with a JSON body while the process runs", async () => {
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    expect(response.type).toBe("application/json; charset=utf-8");
    expect(response.json()).toEqual({ status: "ok", uptimeSeconds: expect.any(Number) as unknown });
    expect((await fetch(`${base}/healthz`, { method: "HEAD" })).status).toBe(200);
  });

  test("/metrics exposes Meridian's metrics and Node's in the text format", async () => {
    recordClusterState(metrics, { cluster: "eu-west", up: true, synced: false });
    const response = await get("/metrics");
    expect(response.status).toBe(200);
    expect(response.type).toBe(metrics.registry.contentType);
    expect(response.text).toContain("# TYPE meridian_reconciles_total counter");
    expect(response.text).toContain('meridian_cluster_synced{cluster="eu-west"} 0');
    expect(response.text).toContain("process_resident_memory_bytes");
  });

  test("/readyz is 503 until every cluster it waits for has synced, then 200", async () => {
    let response = await get("/readyz");
    expect(response.status).toBe(503);
    expect(response.json()).toEqual({ ready: false, notReady: ["cluster eu-west: not synced (syncing)"], clusters: { registered: 2, synced: 1, unavailable: [] } });

    const synced = [{ cluster: "eu-west", synced: true, awaited: false }, { cluster: "us-east", synced: true, awaited: false }];
    report = { clusters: synced, notReady: ["home cluster: MeshClusters not listed yet"] };
    response = await get("/readyz");
    expect(response.status).toBe(503);
    expect(response.json()).toMatchObject({ notReady: ["home cluster: MeshClusters not listed yet"] });

    report = { clusters: synced };
    response = await get("/readyz");
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ ready: true, notReady: [], clusters: { registered: 2, synced: 2, unavailable: [] } });
  });

  test("/readyz stays 200 for a member that cannot sync now, and names it with the reason", async () => {
    report = { clusters: [{ cluster: "eu-west", synced: false, awaited: false, problem: "unreachable" }, { cluster: "us-east", synced: true, awaited: false }] };
    const response = await get("/readyz");
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ ready: true, notReady: [], clusters: { registered: 2, synced: 1, unavailable: ["cluster eu-west: not synced (unreachable)"] } });
    report = { clusters: [{ cluster: "eu-west", synced: true, awaited: false }, { cluster: "us-east", synced: true, awaited: false }] };
  });

  test("/readyz is 503 when the readiness callback throws", async () => {
    readinessError = new Error("cluster registry not started");
    const response = await get("/readyz");
    readinessError = undefined;
    expect(response.status).toBe(503);
    expect(response.json()).toMatchObject({ notReady: ["readiness: cluster registry not started"] });
    expect((await get("/readyz")).status).toBe(200);
  });

  test("/readyz is 503 while Redis does not answer a PING within 1s (process paused), 200 when it answers again", async () => {
    process.kill(redisServer.pid, "SIGSTOP");
    try {
      const started = Date.now();
      const response = await get("/readyz");
      expect(response.status).toBe(503);
      expect(response.json()).toMatchObject({ ready: false, notReady: ["redis: no answer within 1s"] });
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect((await get("/healthz")).status).toBe(200);
    } finally {
      process.kill(redisServer.pid, "SIGCONT");
    }
    await waitUntil(async () => (await get("/readyz")).status === 200, { what: "readiness after SIGCONT", timeoutMs: 10_000 });
  });

  test("/readyz is 503 once Redis is gone (stopped by PID)", async () => {
    await redisServer.stop();
    await waitUntil(async () => (await get("/readyz")).status === 503, { what: "readiness to drop", timeoutMs: 10_000 });
    const body = (await get("/readyz")).json() as { notReady: string[] };
    expect(body.notReady).toHaveLength(1);
    expect(body.notReady[0]).toMatch(/^redis: (not connected \((connecting|reconnecting)\)|no answer within 1s|Connection is closed\.)$/);
    expect((await get("/healthz")).status).toBe(200);
  });

  test("unknown paths are 404 and other methods 405", async () => {
    const missing = await get("/livez");
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: "no such path: /livez", paths: ["/healthz", "/readyz", "/metrics"] });
    const post = await get("/readyz", { method: "POST" });
    expect(post.status).toBe(405);
  });

  test("a taken port is a clear error; an aborted signal stops listening", async () => {
    const other = new AbortController();
    const second = new HealthServer({ listen: { host: "127.0.0.1", port: listening.port }, registry: metrics.registry, readiness: () => report, redis: redis.commands, log });
    await expect(second.start(other.signal)).rejects.toThrow(`Cannot serve /healthz, /readyz and /metrics on 127.0.0.1:${listening.port}: listen EADDRINUSE`);

    const third = new HealthServer({ listen: { host: "127.0.0.1", port: 0 }, registry: metrics.registry, readiness: () => report, redis: redis.commands, log });
    const running = await third.start(other.signal);
    expect((await fetch(`http://127.0.0.1:${running.port}/healthz`)).status).toBe(200);
    other.abort();
    await running.closed;
    await expect(fetch(`http://127.0.0.1:${running.port}/healthz`)).rejects.toThrow();
    await expect(third.start(other.signal)).rejects.toThrow();
  });
});
