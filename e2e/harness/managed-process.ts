// A long-running child process the harness started: logs to a file, stopped by PID, never by name.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { tailFile } from "./log-tail.js";

export interface ProcessSpec {
  name: string;
  command: string;
  args: readonly string[];
  logFile: string;
  /** The child's whole environment; the harness's own when absent. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Whether the process has exited (on its own or by stop()). */
  exited(): boolean;
  /** SIGTERM, then SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
  /** Resident set size in kB from /proc/<pid>/status, 0 once exited. */
  rssKb(): number;
  logTail(lines: number): string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** If the test runner dies, take the servers it started with it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

export function readRssKb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] === undefined ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export function startProcess(spec: ProcessSpec): ManagedProcess {
  const fd = openSync(spec.logFile, "a");
  const child = spawn(spec.command, spec.args, { stdio: ["ignore", fd, fd], env: spec.env });
  closeSync(fd);
  child.on("error", () => undefined); // a spawn failure leaves pid undefined, reported just below
  if (child.pid === undefined) throw new Error(`Could not start ${spec.command}: is it installed and executable?`);
  const pid = child.pid;
  installExitHook();
  running.add(child);
  child.once("exit", () => running.delete(child));
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  return {
    name: spec.name,
    pid,
    logFile: spec.logFile,
    exited,
    async stop(graceMs = 5_000) {
      if (exited()) return;
      child.kill("SIGTERM");
      if (!(await waitForExit(child, graceMs))) {
        child.kill("SIGKILL");
        await waitForExit(child, graceMs);
      }
    },
    rssKb: () => (exited() ? 0 : readRssKb(pid)),
    logTail: (lines) => tailFile(spec.logFile, lines),
  };
}
