// A private `redis-server` for a controller started without a Redis URL: found on the search path,
// on a free 127.0.0.1 port, persistence off, maxmemory-policy noeviction, in a temp directory of
// its own. Stopped by its PID (SIGTERM, then SIGKILL), never by name; if the process exits without
// stop(), an exit hook kills it. Its queues are neither shared with other replicas nor durable.

import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdtemp, rm } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";

import { LocalRedisError } from "./redis-errors.js";

export interface LocalRedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after `graceMs`; removes its directory. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface LocalRedisOptions {
  /** Directories searched for `redis-server` (the entry point's PATH). */
  readonly searchPath: readonly string[];
  readonly log: Logger;
  /** How long to wait for the first PONG. Default 10 s. */
  readonly startTimeoutMs?: number;
}

const ATTEMPTS = 3; // another process may take the free port before redis-server binds it
const OUTPUT_LINES = 20;

export async function findExecutable(name: string, searchPath: readonly string[]): Promise<string | undefined> {
  for (const dir of searchPath) {
    const candidate = join(dir, name);
    const found = await access(candidate, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (found) return candidate;
  }
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("The kernel returned no free port"))));
    });
  });
}

/** Whether a Redis answers PING on 127.0.0.1:port (raw RESP, no client library). */
export function answersPing(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => done(data.toString("utf8").startsWith("+PONG")));
  });
}

function redisArgs(port: number, dir: string): string[] {
  return ["--port", String(port), "--bind", "127.0.0.1", "--protected-mode", "yes", "--dir", dir, "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction", "--daemonize", "no", "--logfile", ""];
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** The last lines the child printed, for error messages. */
function captureOutput(child: ChildProcess): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString("utf8").split("\n").filter((line) => line.trim() !== ""));
    lines.splice(0, Math.max(0, lines.length - OUTPUT_LINES));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return () => lines.join("\n");
}

async function waitForPong(child: ChildProcess, port: number, timeoutMs: number): Promise<"ready" | "exited" | "timeout"> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child)) return "exited";
    if (await answersPing(port)) return "ready";
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return "timeout";
}

async function killChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (exited(child)) return;
  child.kill("SIGTERM");
  if (!(await waitForExit(child, graceMs))) {
    child.kill("SIGKILL");
    await waitForExit(child, graceMs);
  }
}

interface Attempt {
  readonly server?: LocalRedisServer;
  readonly failure?: string;
}

async function startOnce(binary: string, dir: string, timeoutMs: number): Promise<Attempt> {
  const port = await freePort();
  const child = spawn(binary, redisArgs(port, dir), { stdio: ["ignore", "pipe", "pipe"] });
  child.on("error", () => undefined); // reported below through exited()
  const output = captureOutput(child);
  const killOnExit = (): void => void child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const state = await waitForPong(child, port, timeoutMs);
  if (state !== "ready" || child.pid === undefined) {
    await killChild(child, 1_000);
    process.off("exit", killOnExit);
    return { failure: `redis-server ${state === "timeout" ? `did not answer PING within ${timeoutMs} ms` : "exited"} on port ${port}: ${output() || "(no output)"}` };
  }
  const stop = async (graceMs = 5_000): Promise<void> => {
    await killChild(child, graceMs);
    process.off("exit", killOnExit);
    await rm(dir, { recursive: true, force: true });
  };
  return { server: { url: `redis://127.0.0.1:${port}`, port, pid: child.pid, stop } };
}

export async function startLocalRedisServer(options: LocalRedisOptions): Promise<LocalRedisServer> {
  const binary = await findExecutable("redis-server", options.searchPath);
  if (binary === undefined) {
    throw new LocalRedisError("No Redis URL was given and redis-server is not installed: set --redis-url / REDIS_URL to a Redis >= 6.2 with maxmemory-policy noeviction, or install redis-server for a private local one");
  }
  const dir = await mkdtemp(join(tmpdir(), "meridian-redis-"));
  const failures: string[] = [];
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const result = await startOnce(binary, dir, options.startTimeoutMs ?? 10_000);
    if (result.server !== undefined) {
      options.log.warn({ port: result.server.port, redisPid: result.server.pid }, "Started a private local redis-server: work queues are not shared with other replicas and are lost on exit; set REDIS_URL for production");
      return result.server;
    }
    failures.push(result.failure ?? "unknown failure");
  }
  await rm(dir, { recursive: true, force: true });
  throw new LocalRedisError(`Could not start a private local ${binary}: ${failures.join(" | ")}`);
}
