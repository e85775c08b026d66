// `meridian controller` as a child process, exactly as a user runs it from the repository: its JSON
// log lines are kept (and printed when a test fails), its HTTP port is read from the log, and it can
// be stopped gracefully (SIGTERM) or killed (SIGKILL) by its PID.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import type { WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { waitUntil } from "../harness/wait-until.js";
import { seriesSum } from "./prometheus-text.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface ControllerProcess {
  readonly pid: number;
  readonly logLines: string[];
  /** Every line also goes here (kept after the test, for reading the whole log). */
  readonly logFile: string;
  /** The /healthz, /readyz and /metrics port, once the controller has logged it. */
  port(): Promise<number>;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<number | string>;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<number | string>;
  /** Log lines (parsed) whose msg matches. */
  logged(message: RegExp): Record<string, unknown>[];
}

export interface ControllerProcessOptions {
  readonly homeKubeconfig: string;
  readonly redisUrl?: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Run as this user and group id (the test runs as root): lets a firewall rule match one replica's traffic. */
  readonly uid?: number;
  /** A cgroup's `cgroup.procs`: the process joins it before Node starts (so Node sizes its heap from the cgroup's memory limit). */
  readonly cgroupProcs?: string;
  /** Flags for Node itself, before the script (e.g. `--trace-gc`, which NODE_OPTIONS does not take). */
  readonly nodeArgs?: readonly string[];
}

export function startControllerProcess(options: ControllerProcessOptions): ControllerProcess {
  const args = [...(options.nodeArgs ?? []), "--import", "tsx", "controller/cli/main.ts", "controller", "--kubeconfig", options.homeKubeconfig, "--listen", "127.0.0.1:0", "--log-level", "debug", ...(options.args ?? [])];
  if (options.redisUrl !== undefined) args.push("--redis-url", options.redisUrl);
  const user = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
  // `sh` moves itself into the cgroup, then execs Node in its place: the PID is the controller's.
  const [command, argv] = options.cgroupProcs === undefined ? [process.execPath, args] : ["/bin/sh", ["-c", 'echo $$ > "$0" && exec "$@"', options.cgroupProcs, process.execPath, ...args]];
  const child = spawn(command, argv, { cwd: repoRoot, env: { ...process.env, REDIS_URL: "", ...options.env }, stdio: ["ignore", "pipe", "pipe"], ...user });
  const logLines: string[] = [];
  const logFile = join(tmpdir(), `meridian-controller-${child.pid ?? "unknown"}.log`);
  collectLines(child, logLines, createWriteStream(logFile));
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  const signal = async (name: NodeJS.Signals): Promise<number | string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exited;
  };
  const logged = (message: RegExp): Record<string, unknown>[] => parsedLines(logLines).filter((line) => message.test(String(line["msg"] ?? "")));
  return {
    pid: child.pid ?? -1,
    logLines,
    logFile,
    exited,
    logged,
    port: () => portOf(logged, exited),
    stop: () => signal("SIGTERM"),
    kill: () => signal("SIGKILL"),
  };
}

function collectLines(child: ChildProcess, lines: string[], file: WriteStream): void {
  child.once("exit", () => file.end());
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      file.write(chunk);
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      lines.push(...parts.filter((line) => line !== ""));
    });
  }
}

function parsedLines(lines: readonly string[]): Record<string, unknown>[] {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

async function portOf(logged: (message: RegExp) => Record<string, unknown>[], exited: Promise<number | string>): Promise<number> {
  let ended = false;
  void exited.then(() => (ended = true));
  await waitUntil(async () => ended || logged(/^Serving \/healthz/).length > 0, { what: "the controller to listen", timeoutMs: 60_000, intervalMs: 100 });
  const port = logged(/^Serving \/healthz/)[0]?.["port"];
  if (typeof port !== "number") throw new Error("The controller exited before it listened");
  return port;
}

/** The sum of a counter's series in the controller's /metrics, optionally only those whose labels contain every one of `matches`. */
export async function metricSum(port: number, name: string, ...matches: readonly string[]): Promise<number> {
  return seriesSum(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), name, ...matches);
}

export async function isReady(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
  return response?.status === 200;
}

export function printControllerLog(controller: ControllerProcess | undefined, lines = 150): void {
  if (controller === undefined) return;
  console.error(`Controller ${controller.pid} log (last ${lines} lines; all of it in ${controller.logFile}):\n${controller.logLines.slice(-lines).join("\n")}`);
}
