// `meridian controller` as a child process, exactly as a user runs it from the repository. Its JSON
// log (stdout and stderr) goes to a file; its HTTP port is read from the log (it listens on port 0).
// It runs in a process group of its own, so a Ctrl-C in the terminal reaches only the demo, which
// stops it gracefully (SIGTERM, then SIGKILL after a grace period), by its PID.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { waitUntil } from "../harness/wait-until.js";
import { DemoError } from "./demo-error.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const STOP_GRACE_MS = 20_000;

export interface DemoController {
  readonly pid: number;
  readonly logFile: string;
  readonly port: number;
  /** Whether /readyz answers 200: Redis answers and every registered cluster that can sync has synced since start. */
  ready(): Promise<boolean>;
  exited(): boolean;
  logTail(lines: number): string;
  /** SIGTERM, wait, SIGKILL after the grace period; resolves with the exit code or signal. */
  stop(): Promise<number | string>;
}

export interface ControllerInput {
  readonly homeKubeconfig: string;
  readonly redisUrl: string;
  readonly logFile: string;
  /** The demo's environment, without the settings the flags give (see controllerEnv). */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Every controller setting also has an environment variable (controller/config/README.md): drop
 * those, so a MERIDIAN_* or REDIS_* left in the user's shell cannot change what the demo shows.
 */
export function controllerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const dropped = (key: string): boolean => key.startsWith("MERIDIAN_") || key.startsWith("REDIS_") || key === "KUBECONFIG" || key === "KUBERNETES_SERVICE_HOST";
  return Object.fromEntries(Object.entries(env).filter(([key]) => !dropped(key)));
}

export async function startController(input: ControllerInput): Promise<DemoController> {
  const args = ["--import", "tsx", "controller/cli/main.ts", "controller", "--kubeconfig", input.homeKubeconfig, "--redis-url", input.redisUrl, "--listen", "127.0.0.1:0"];
  const fd = openSync(input.logFile, "a");
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: input.env, stdio: ["ignore", fd, fd], detached: true });
  closeSync(fd);
  child.on("error", () => undefined); // a failed spawn shows as an exit below
  const killOnExit = (): void => void child.kill("SIGKILL");
  process.once("exit", killOnExit); // the demo killed by a second Ctrl-C takes the controller with it
  const exitedWith = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const logTail = (lines: number): string => tail(input.logFile, lines);
  const stop = async (): Promise<number | string> => {
    const code = await stopChild(child, exitedWith);
    process.off("exit", killOnExit);
    return code;
  };
  try {
    const port = await portFromLog(input.logFile, exited);
    return { pid: child.pid ?? -1, logFile: input.logFile, port, exited, logTail, stop, ready: () => answers200(`http://127.0.0.1:${port}/readyz`) };
  } catch (err) {
    await stop();
    throw new DemoError(`${(err as Error).message}\nLast lines of the controller's log (${input.logFile}):\n${logTail(30)}`, { cause: err });
  }
}

async function stopChild(child: ChildProcess, exitedWith: Promise<number | string>): Promise<number | string> {
  if (child.exitCode !== null || child.signalCode !== null) return exitedWith;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  const code = await exitedWith;
  clearTimeout(timer);
  return code;
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function logLines(file: string): Record<string, unknown>[] {
  return readText(file).split("\n").flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

async function portFromLog(file: string, exited: () => boolean): Promise<number> {
  const port = (): unknown => logLines(file).find((line) => String(line["msg"] ?? "").startsWith("Serving /healthz"))?.["port"];
  await waitUntil(async () => typeof port() === "number", {
    what: "the controller to serve /healthz, /readyz and /metrics",
    timeoutMs: 90_000,
    intervalMs: 200,
    failIf: () => (exited() ? "the controller exited" : undefined),
  });
  return port() as number;
}

async function answers200(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  return response?.status === 200;
}

export function tail(file: string, lines: number): string {
  return readText(file).trimEnd().split("\n").slice(-lines).join("\n") || "(nothing logged)";
}
