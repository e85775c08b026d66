// Build-or-reuse of `helm`, for the deploy tests: the pinned release on PATH, else the cache, else
// `go build` of its Go module (e2e/go/helm), exactly as ensure-binaries.ts does for kube-apiserver.
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { harnessLog } from "./harness-log.js";
import { readHarnessConfig, type HarnessConfig } from "./harness-config.js";
import { findExecutable, isExecutable } from "./find-executable.js";
import { findGo } from "./go-toolchain.js";
import { requiredVersion } from "./go-module-version.js";
import { repoRoot } from "./repo-paths.js";
import { runCommand } from "./run-command.js";

/** The Go module that pins helm: e2e/go/helm. */
export const helmModuleDir: string = join(repoRoot, "e2e", "go", "helm");
const HELM_MODULE = "helm.sh/helm/v4";

export interface Helm {
  readonly file: string;
  /** e.g. `v4.3.1`. */
  readonly version: string;
  /** HELM_*_HOME pointing into a directory of the harness's own, so helm never touches ~/.config. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The helm release written in e2e/go/helm/go.mod, e.g. `v4.3.1`. */
export async function pinnedHelmVersion(): Promise<string> {
  const file = join(helmModuleDir, "go.mod");
  const version = requiredVersion(await readFile(file, "utf8"), HELM_MODULE);
  if (version === undefined) throw new Error(`${file} does not require ${HELM_MODULE}: restore the require line.`);
  return version;
}

export function helmCacheDir(config: HarnessConfig, version: string): string {
  return join(config.cacheHome, "meridian", "helm", version);
}

/** Stamps the release the way helm's Makefile does, so `helm version` reports it. */
export function helmLdflags(version: string): string {
  return ["-s", "-w", `-X=${HELM_MODULE}/internal/version.version=${version}`].join(" ");
}

async function versionOf(file: string): Promise<string | undefined> {
  try {
    const { stdout } = await runCommand(file, ["version", "--template", "{{.Version}}"]);
    return stdout.trim();
  } catch {
    return undefined;
  }
}

async function buildHelm(config: HarnessConfig, version: string, target: string): Promise<void> {
  const go = await findGo(config);
  const started = Date.now();
  harnessLog.info({ binary: "helm", version, target }, "Building binary");
  const partial = `${target}.partial-${process.pid}`;
  try {
    await runCommand(go, ["build", `-ldflags=${helmLdflags(version)}`, "-o", partial, `${HELM_MODULE}/cmd/helm`], {
      cwd: helmModuleDir,
      env: { ...config.goEnv, GOFLAGS: "-trimpath" },
    });
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  await rename(partial, target);
  harnessLog.info({ binary: "helm", target, durationMs: Date.now() - started }, "Built binary");
}

function withPrivateHomes(config: HarnessConfig, file: string, version: string): Helm {
  const home = join(helmCacheDir(config, version), "home");
  const env = { ...config.goEnv, HELM_CACHE_HOME: join(home, "cache"), HELM_CONFIG_HOME: join(home, "config"), HELM_DATA_HOME: join(home, "data") };
  return { file, version, env };
}

/** Returns a helm of the pinned release: on PATH, else cached, else built there (1–3 minutes). */
export async function ensureHelm(config: HarnessConfig = readHarnessConfig()): Promise<Helm> {
  const version = await pinnedHelmVersion();
  const onPath = await findExecutable("helm", config.searchPath);
  if (onPath !== undefined && (await versionOf(onPath)) === version) return withPrivateHomes(config, onPath, version);
  const dir = helmCacheDir(config, version);
  const cached = join(dir, "helm");
  if (!(await isExecutable(cached)) || (await versionOf(cached)) !== version) {
    await mkdir(dir, { recursive: true });
    await buildHelm(config, version, cached);
  }
  return withPrivateHomes(config, cached, version);
}
