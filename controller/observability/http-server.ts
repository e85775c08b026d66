// The controller's small HTTP server: /healthz (the process and its event loop answer), /readyz
// (the start-up gate: every registered cluster tried and every one that can sync synced since start,
// the home caches listed, AND Redis answers a PING in time; otherwise 503 listing what is not ready;
// a member that is not synced now is named in `unavailable` without failing readiness), /metrics
// (the registry's text exposition). Construction does no I/O; start(signal) listens until the
// signal aborts.

import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Registry } from "prom-client";

import { formatDuration } from "../../crds/common.js";

export interface ClusterReadiness {
  readonly cluster: string;
  /** Its watches serve now (its MeshCluster's Synced condition is True). */
  readonly synced: boolean;
  /** This replica still waits for its first sync (it may sync on its own): not ready until it has. */
  readonly awaited: boolean;
  /** Why it is not synced now, in a few words. */
  readonly problem?: string;
}

export interface ReadinessReport {
  /** Every registered member cluster. */
  readonly clusters: readonly ClusterReadiness[];
  /** Anything else not ready yet, as short phrases (e.g. "home cluster: MeshClusters not listed yet"). */
  readonly notReady?: readonly string[];
}

/** The part of an ioredis client readiness needs (RedisConnections.commands fits). */
export interface RedisProbe {
  readonly status: string;
  ping(): Promise<unknown>;
}

export interface HealthServerDeps {
  /** Undefined host: every interface. Port 0 picks a free one. */
  readonly listen: { readonly host?: string; readonly port: number };
  readonly registry: Registry;
  readonly readiness: () => ReadinessReport;
  readonly redis: RedisProbe;
  readonly log: Logger;
  /** How long /readyz waits for Redis's PONG. Default 1 s. */
  readonly redisTimeoutMs?: number;
  /** Seconds since the process started. Default process.uptime. */
  readonly uptimeSeconds?: () => number;
}

export interface ReadinessBody {
  readonly ready: boolean;
  readonly notReady: readonly string[];
  /** `synced` counts the members synced now; `unavailable` names those that are not and why (readiness does not wait for them). */
  readonly clusters: { readonly registered: number; readonly synced: number; readonly unavailable: readonly string[] };
}

export interface Listening {
  readonly address: string;
  readonly port: number;
  /** Resolves once the server has closed after the signal aborted. */
  readonly closed: Promise<void>;
}

const PATHS = ["/healthz", "/readyz", "/metrics"];

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(`${JSON.stringify(body)}\n`);
}

async function redisProblem(redis: RedisProbe, timeoutMs: number): Promise<string | undefined> {
  if (redis.status !== "ready") return `redis: not connected (${redis.status})`;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`redis: no answer within ${formatDuration(timeoutMs)}`), timeoutMs);
  });
  const ping = redis.ping().then(
    () => undefined,
    (err: unknown) => `redis: ${err instanceof Error ? err.message : String(err)}`,
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface ClusterProblems {
  readonly problems: string[];
  readonly registered: number;
  readonly synced: number;
  readonly unavailable: string[];
}

function clusterProblems(readiness: () => ReadinessReport): ClusterProblems {
  try {
    const report = readiness();
    const why = (c: ClusterReadiness): string => `cluster ${c.cluster}: not synced (${c.problem ?? "syncing"})`;
    const awaited = report.clusters.filter((c) => !c.synced && c.awaited).map(why);
    const unavailable = report.clusters.filter((c) => !c.synced && !c.awaited).map(why);
    const synced = report.clusters.filter((c) => c.synced).length;
    return { problems: [...awaited, ...(report.notReady ?? [])], registered: report.clusters.length, synced, unavailable };
  } catch (err) {
    return { problems: [`readiness: ${err instanceof Error ? err.message : String(err)}`], registered: 0, synced: 0, unavailable: [] };
  }
}

export class HealthServer {
  private lastReady: boolean | undefined;

  constructor(private readonly deps: HealthServerDeps) {}

  /** What /readyz answers. */
  async readiness(): Promise<ReadinessBody> {
    const clusters = clusterProblems(this.deps.readiness);
    const redis = await redisProblem(this.deps.redis, this.deps.redisTimeoutMs ?? 1_000);
    const notReady = redis === undefined ? clusters.problems : [...clusters.problems, redis];
    const body = { ready: notReady.length === 0, notReady, clusters: { registered: clusters.registered, synced: clusters.synced, unavailable: clusters.unavailable } };
    if (body.ready !== this.lastReady) this.deps.log.info({ ready: body.ready, notReady }, "Readiness changed");
    this.lastReady = body.ready;
    return body;
  }

  /** Listens; resolves once listening. Closes (dropping open connections) when `signal` aborts. */
  async start(signal: AbortSignal): Promise<Listening> {
    signal.throwIfAborted();
    const server = createServer((req, res) => void this.handle(req, res));
    const closed = new Promise<void>((resolve) => server.once("close", () => resolve()));
    await listen(server, this.deps.listen);
    const { address, port } = server.address() as AddressInfo;
    const stop = (): void => {
      server.close();
      server.closeAllConnections();
    };
    signal.addEventListener("abort", stop, { once: true });
    this.deps.log.info({ address, port }, "Serving /healthz, /readyz and /metrics");
    return { address, port, closed };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    try {
      await this.route(path, res);
    } catch (err) {
      this.deps.log.warn({ path, err }, "Failed to answer an HTTP request");
      if (!res.headersSent) sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private async route(path: string, res: ServerResponse): Promise<void> {
    if (path === "/healthz") {
      sendJson(res, 200, { status: "ok", uptimeSeconds: Math.round((this.deps.uptimeSeconds ?? process.uptime)()) });
    } else if (path === "/readyz") {
      const body = await this.readiness();
      sendJson(res, body.ready ? 200 : 503, body);
    } else if (path === "/metrics") {
      const text = await this.deps.registry.metrics();
      res.writeHead(200, { "content-type": this.deps.registry.contentType }).end(text);
    } else {
      sendJson(res, 404, { error: `no such path: ${path}`, paths: PATHS });
    }
  }
}

function listen(server: Server, address: { readonly host?: string; readonly port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error): void => reject(new Error(`Cannot serve /healthz, /readyz and /metrics on ${address.host ?? ""}:${address.port}: ${err.message}`, { cause: err }));
    server.once("error", fail);
    server.listen(address.port, address.host, () => {
      server.off("error", fail);
      resolve();
    });
  });
}
