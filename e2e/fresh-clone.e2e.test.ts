// A new user's first run, for real: the repository cloned into a temp dir, `npm ci` run with the
// machine's own Node.js first on PATH (no node_modules/.bin anywhere on it), then the README's
// commands. Every script must run on the bundled Node.js (>= the engines range), `meridian` must
// install from `npm pack` like a real CLI, and a missing prerequisite must be one line, not a stack.
import { spawn } from "node:child_process";
import { mkdtemp, rm, symlink, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { satisfiesMinimum } from "../controller/cli/node-runtime.js";
import { findExecutable } from "./harness/find-executable.js";
import { containerRuntime } from "./harness/redis-server.js";
import { repoRoot } from "./harness/repo-paths.js";

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(file: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function succeeded(result: Run, what: string): Run {
  if (result.code !== 0) throw new Error(`${what} exited ${String(result.code)}:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-4000)}`);
  return result;
}

/** The user's PATH as it is outside npm: without any node_modules/.bin that `npm run` put first. */
const machinePath = (process.env["PATH"] ?? "")
  .split(delimiter)
  .filter((dir) => dir !== "" && !dir.includes("node_modules"))
  .join(delimiter);

/** The machine's environment without what npm and the test runner add. */
function machineEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("npm_") && !key.startsWith("VITEST") && key !== "NODE_OPTIONS" && key !== "INIT_CWD") env[key] = value;
  }
  return { ...env, PATH: machinePath, ...extra };
}

const VERSION_LINE = /^meridian \d+\.\d+\.\d+ \(Node\.js (v\d+\.\d+\.\d+), (\w+-\w+)\)$/m;

let work: string;
let clone: string;
let machineNode: string | undefined;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "meridian-fresh-"));
  clone = join(work, "meridian");
  succeeded(await run("git", ["clone", "--quiet", repoRoot, clone], { cwd: work, env: machineEnv() }), "git clone");
  machineNode = (await findExecutable("node", machinePath.split(delimiter))) ?? undefined;
  succeeded(await run("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: clone, env: machineEnv() }), "npm ci");
}, 900_000);

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe("a fresh clone, with the machine's own Node.js first on PATH", () => {
  it("runs `npm run meridian -- --version` on the bundled Node.js, never on an older one", async () => {
    const machineVersion = machineNode === undefined ? undefined : succeeded(await run(machineNode, ["--version"], { cwd: clone, env: machineEnv() }), "node --version").stdout.trim();
    const result = succeeded(await run("npm", ["run", "--silent", "meridian", "--", "--version"], { cwd: clone, env: machineEnv() }), "npm run meridian -- --version");
    const match = VERSION_LINE.exec(result.stdout);
    expect(match, result.stdout).not.toBeNull();
    const used = match?.[1] as string;
    expect(satisfiesMinimum(used)).toBe(true);
    // On a machine whose own Node.js is too old (as here: Node.js 20), npm must have put the bundled one first.
    if (machineVersion !== undefined && !satisfiesMinimum(machineVersion)) expect(used).not.toBe(machineVersion);
    expect(result.stderr).toBe("");
  }, 300_000);

  it("runs the demo's preflight on the bundled Node.js, with everything found", async () => {
    const result = succeeded(await run("npm", ["run", "--silent", "demo", "--", "--preflight"], { cwd: clone, env: machineEnv() }), "npm run demo -- --preflight");
    const nodeLine = /^ok\s+node: Node\.js (v\S+) \((.+)\)$/m.exec(result.stdout);
    expect(nodeLine, result.stdout).not.toBeNull();
    expect(satisfiesMinimum(nodeLine?.[1] as string)).toBe(true);
    expect(nodeLine?.[2]).toBe(join(clone, "node_modules", `node-${process.platform}-${process.arch}`, "bin", "node"));
    expect(result.stdout).not.toContain("MISSING");
  }, 300_000);

  it("packs `meridian` into a tarball that installs and runs as a global command", async () => {
    const packed = succeeded(await run("npm", ["pack", "--silent", "--pack-destination", work], { cwd: clone, env: machineEnv() }), "npm pack");
    const tarball = join(work, packed.stdout.trim().split("\n").at(-1) as string);
    const prefix = join(work, "prefix");
    succeeded(await run("npm", ["install", "-g", "--prefix", prefix, "--no-audit", "--no-fund", "--prefer-offline", tarball], { cwd: work, env: machineEnv() }), "npm install -g");
    const meridian = join(prefix, "bin", "meridian");
    const env = machineEnv({ PATH: [join(prefix, "bin"), machinePath].join(delimiter) });

    const version = succeeded(await run(meridian, ["--version"], { cwd: work, env }), "meridian --version");
    expect(satisfiesMinimum(VERSION_LINE.exec(version.stdout)?.[1] ?? "none")).toBe(true);
    const help = succeeded(await run(meridian, ["cluster", "list", "--help"], { cwd: work, env }), "meridian cluster list --help");
    expect(help.stdout).toContain("Usage: meridian cluster list [options]");
    // The completion script works in a real bash: "dr<TAB>" completes to "drill", "drill st<TAB>" to "start status".
    const complete = (words: string): string =>
      `source <(meridian completion bash); COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _meridian; echo "\${COMPREPLY[*]}"`;
    expect(succeeded(await run("bash", ["-c", complete("meridian dr")], { cwd: work, env }), "bash completion").stdout.trim()).toBe("drill");
    expect(succeeded(await run("bash", ["-c", complete("meridian drill st")], { cwd: work, env }), "bash completion").stdout.trim()).toBe("start status");
  }, 600_000);
});

describe("the demo's preflight with a PATH lacking a tool", () => {
  /** A PATH of one directory holding only `tools` (symlinks to the real ones), and an empty cache. */
  async function pathWith(tools: readonly string[]): Promise<NodeJS.ProcessEnv> {
    const bin = await mkdtemp(join(work, "bin-"));
    const cache = await mkdtemp(join(work, "cache-"));
    await mkdir(bin, { recursive: true });
    for (const tool of tools) {
      const real = await findExecutable(tool, machinePath.split(delimiter));
      if (real === undefined) throw new Error(`${tool} is not installed here; the e2e tests need it`);
      await symlink(real, join(bin, tool));
    }
    return machineEnv({ PATH: bin, XDG_CACHE_HOME: cache, KUBEBUILDER_ASSETS: "", REDIS_URL: "", MERIDIAN_ISTIO_CRDS: "", MERIDIAN_PILOT_DISCOVERY: "", MERIDIAN_XDS_PROBE: "" });
  }

  const preflight = (env: NodeJS.ProcessEnv): Promise<Run> =>
    run(process.execPath, ["--import", "tsx", "--import", "./controller/cli/node-guard.ts", "e2e/demo/demo.ts", "--preflight"], { cwd: repoRoot, env });

  it("no Go and no KUBEBUILDER_ASSETS: one line that says to install Go or set KUBEBUILDER_ASSETS, no stack trace", async () => {
    const result = await preflight(await pathWith(["redis-server"]));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "MISSING  kube-apiserver, etcd: Go was not found on PATH. The e2e harness builds kube-apiserver and etcd from source: install Go >= 1.24 (https://go.dev/dl; Go fetches the newer toolchain Kubernetes needs by itself), or set KUBEBUILDER_ASSETS to a directory holding kube-apiserver and etcd.\n",
    );
    expect(result.stderr).toContain("MISSING  Istio's CRDs: ");
    expect(result.stderr).toContain("MISSING  istiod, xds-probe: Go (>= 1.24) was not found: istiod (pilot-discovery) and the xDS probe are built from the istio.io/istio Go module.");
    expect(result.stderr).not.toContain("MISSING  redis");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 120_000);

  it("no redis-server and no REDIS_URL: one line with the command that installs it, no stack trace", async (context) => {
    if ((await containerRuntime()).available) context.skip("a container runtime answers here, so Redis comes from testcontainers");
    const result = await preflight(await pathWith(["go"]));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "MISSING  redis: redis-server was not found on PATH, REDIS_URL is not set and no container runtime answers: install it with `sudo apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), or set REDIS_URL=redis://HOST:PORT to a Redis >= 6.2 with maxmemory-policy noeviction.\n",
    );
    expect(result.stderr).not.toContain("MISSING  kube-apiserver");
    expect(result.stderr).not.toContain("MISSING  istiod");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 120_000);
});
