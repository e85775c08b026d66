// A memory limit for one replica, as a pod's `resources.limits.memory` gives it: a memory cgroup (v1
// or v2) under this process's own, which the replica's shell joins before it execs Node, so Node sizes
// V8's heap from the limit exactly as it does in a container (1 GiB: a 560 MB heap limit with Node 24).
// Needs root and a writable cgroup tree; `createMemoryCgroup` says why when it cannot make one.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = "/sys/fs/cgroup";

export interface MemoryCgroup {
  /** Write a PID here to move that process into the cgroup. */
  readonly procsFile: string;
  /** Processes the kernel killed because the cgroup ran out of memory. */
  oomKills(): number;
  /** Removes the cgroup (once its processes have ended); never throws. */
  remove(): void;
}

export type CgroupResult = { ok: true; cgroup: MemoryCgroup } | { ok: false; reason: string };

export function createMemoryCgroup(name: string, limitMb: number): CgroupResult {
  try {
    return { ok: true, cgroup: existsSync(join(ROOT, "cgroup.controllers")) ? unified(name, limitMb) : legacy(name, limitMb) };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** This process's cgroup path in the hierarchy whose line in /proc/self/cgroup matches. */
function ownPath(matches: (controllers: string) => boolean): string {
  for (const line of readFileSync("/proc/self/cgroup", "utf8").split("\n")) {
    const [, controllers, path] = line.split(":");
    if (controllers !== undefined && path !== undefined && matches(controllers)) return path;
  }
  throw new Error("no memory cgroup in /proc/self/cgroup");
}

function legacy(name: string, limitMb: number): MemoryCgroup {
  const dir = join(ROOT, "memory", ownPath((c) => c.split(",").includes("memory")), name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "memory.limit_in_bytes"), String(limitMb * 1024 * 1024));
  return handle(dir, () => counter(readFileSync(join(dir, "memory.oom_control"), "utf8"), "oom_kill"));
}

function unified(name: string, limitMb: number): MemoryCgroup {
  const parent = join(ROOT, ownPath((c) => c === ""));
  if (!readFileSync(join(parent, "cgroup.subtree_control"), "utf8").split(/\s+/).includes("memory")) {
    throw new Error(`the memory controller is not enabled for children of ${parent} (cgroup.subtree_control)`);
  }
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "memory.max"), String(limitMb * 1024 * 1024));
  // No swap, as in a pod; the file is absent when the kernel does not account swap (nothing to turn off then).
  if (existsSync(join(dir, "memory.swap.max"))) writeFileSync(join(dir, "memory.swap.max"), "0");
  return handle(dir, () => counter(readFileSync(join(dir, "memory.events"), "utf8"), "oom_kill"));
}

function handle(dir: string, oomKills: () => number): MemoryCgroup {
  return {
    procsFile: join(dir, "cgroup.procs"),
    oomKills,
    remove: () => {
      try {
        rmdirSync(dir);
      } catch {
        // Still has a process (a replica that would not stop) or already gone: leave it.
      }
    },
  };
}

function counter(text: string, key: string): number {
  return Number(new RegExp(`^${key} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
}
