// Build-or-reuse of the control plane binaries: KUBEBUILDER_ASSETS, else the cache, else `go build`.
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { readHarnessConfig, type HarnessConfig } from "./harness-config.js";
import { ldflags } from "./build-flags.js";
import { isExecutable } from "./find-executable.js";
import { findGo } from "./go-toolchain.js";
import { kubernetesVersion, pinnedVersion } from "./go-module-version.js";
import { harnessLog } from "./harness-log.js";
import { goModuleDir } from "./repo-paths.js";
import { runCommand } from "./run-command.js";

export interface ControlPlaneBinaries {
  kubeApiserver: string;
  etcd: string;
  /** The Kubernetes version, e.g. `1.36.3` (from `kube-apiserver --version` for KUBEBUILDER_ASSETS). */
  version: string;
}

type BinaryName = "kube-apiserver" | "etcd";
const BINARIES: readonly BinaryName[] = ["kube-apiserver", "etcd"];

export function binaryCacheDir(config: HarnessConfig, version: string): string {
  return join(config.cacheHome, "meridian", "envtest", version);
}

/** `Kubernetes v1.36.3` → `1.36.3`. */
export function parseKubernetesVersion(output: string): string | undefined {
  return /Kubernetes v(\S+)/.exec(output)?.[1];
}

async function fromAssets(dir: string): Promise<ControlPlaneBinaries> {
  const kubeApiserver = join(dir, "kube-apiserver");
  const etcd = join(dir, "etcd");
  for (const file of [kubeApiserver, etcd]) {
    if (!(await isExecutable(file))) {
      throw new Error(`KUBEBUILDER_ASSETS=${dir} has no executable ${file}: put kube-apiserver and etcd there, or unset KUBEBUILDER_ASSETS to build them.`);
    }
  }
  const { stdout } = await runCommand(kubeApiserver, ["--version"]);
  return { kubeApiserver, etcd, version: parseKubernetesVersion(stdout) ?? stdout.trim() };
}

interface BuildInput {
  config: HarnessConfig;
  go: string;
  version: string;
  dir: string;
}

async function buildBinary(input: BuildInput, name: BinaryName): Promise<void> {
  const target = join(input.dir, name);
  const started = Date.now();
  harnessLog.info({ binary: name, target }, "Building binary");
  const partial = `${target}.partial-${process.pid}`;
  try {
    await runCommand(input.go, ["build", `-ldflags=${ldflags(name, input.version)}`, "-o", partial, "."], {
      cwd: goModuleDir(name),
      env: { ...input.config.goEnv, GOFLAGS: "-trimpath" },
    });
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  await rename(partial, target);
  harnessLog.info({ binary: name, target, durationMs: Date.now() - started }, "Built binary");
}

/** The cache directory is named for the Kubernetes release; etcd's own pin is checked by asking it. */
async function isCurrent(dir: string, name: BinaryName): Promise<boolean> {
  const file = join(dir, name);
  if (!(await isExecutable(file))) return false;
  if (name === "kube-apiserver") return true;
  const wanted = (await pinnedVersion("etcd", "go.etcd.io/etcd/server/v3")).replace(/^v/, "");
  const { stdout } = await runCommand(file, ["--version"]);
  return stdout.includes(`etcd Version: ${wanted}\n`);
}

/** Returns kube-apiserver and etcd, building whichever is missing (or stale) in the cache. */
export async function ensureBinaries(config: HarnessConfig = readHarnessConfig()): Promise<ControlPlaneBinaries> {
  if (config.kubebuilderAssets !== undefined) return fromAssets(config.kubebuilderAssets);
  const version = await kubernetesVersion();
  const dir = binaryCacheDir(config, version);
  const missing: BinaryName[] = [];
  for (const name of BINARIES) if (!(await isCurrent(dir, name))) missing.push(name);
  if (missing.length > 0) {
    const input = { config, go: await findGo(config), version, dir };
    await mkdir(dir, { recursive: true });
    for (const name of missing) await buildBinary(input, name);
  }
  return { kubeApiserver: join(dir, "kube-apiserver"), etcd: join(dir, "etcd"), version };
}
