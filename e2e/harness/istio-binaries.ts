// Build-or-reuse of the Istio programs the tests run, all pinned to one istio.io/istio commit:
// istio-validate (Istio's own validation, e2e/go/istio-validate), pilot-discovery (istiod) and
// xds-probe (e2e/go/pilot-discovery). A prebuilt binary named in the environment wins; otherwise
// `<cache>/meridian/<name>/<istio-version>-<source-hash>/<name>`, built there by `go build` when
// missing. The hash covers go.mod, go.sum and the program's own Go files, so an edit rebuilds.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { readHarnessConfig, type HarnessConfig } from "./harness-config.js";
import { isExecutable } from "./find-executable.js";
import { findGo, GoMissingError } from "./go-toolchain.js";
import { pinnedVersion } from "./go-module-version.js";
import { harnessLog } from "./harness-log.js";
import { goModuleDir, type GoModuleName } from "./repo-paths.js";
import { runCommand } from "./run-command.js";

export type IstioProgram = "istio-validate" | "pilot-discovery" | "xds-probe";

interface ProgramSpec {
  module: GoModuleName;
  /** The package to build, relative to the module or an import path. */
  target: string;
  /** Directories (relative to the module) whose .go files are part of the program's source. */
  sourceDirs: readonly string[];
  prebuilt: (config: HarnessConfig) => string | undefined;
  envName: string;
}

const PROGRAMS: Readonly<Record<IstioProgram, ProgramSpec>> = {
  "istio-validate": { module: "istio-validate", target: ".", sourceDirs: ["."], prebuilt: (c) => c.istioValidate, envName: "MERIDIAN_ISTIO_VALIDATE" },
  "pilot-discovery": {
    module: "pilot-discovery",
    target: "istio.io/istio/pilot/cmd/pilot-discovery",
    sourceDirs: [],
    prebuilt: (c) => c.pilotDiscovery,
    envName: "MERIDIAN_PILOT_DISCOVERY",
  },
  "xds-probe": { module: "pilot-discovery", target: "./xds-probe", sourceDirs: ["xds-probe"], prebuilt: (c) => c.xdsProbe, envName: "MERIDIAN_XDS_PROBE" },
};

const ISTIO_MODULE = "istio.io/istio";

/** Every program's build order in `npm run test:e2e`: the small one first, then istiod and the probe (shared packages). */
export const ISTIO_PROGRAMS: readonly IstioProgram[] = ["istio-validate", "pilot-discovery", "xds-probe"];

async function sourceHash(spec: ProgramSpec): Promise<string> {
  const dir = goModuleDir(spec.module);
  const hash = createHash("sha256");
  const files = ["go.mod", "go.sum"];
  for (const sub of spec.sourceDirs) {
    const names = (await readdir(join(dir, sub))).filter((name) => name.endsWith(".go")).sort();
    files.push(...names.map((name) => join(sub, name)));
  }
  for (const file of files) hash.update(file).update("\0").update(await readFile(join(dir, file))).update("\0");
  return hash.digest("hex").slice(0, 12);
}

export async function istioProgramCacheDir(config: HarnessConfig, program: IstioProgram): Promise<string> {
  const spec = PROGRAMS[program];
  const version = await pinnedVersion(spec.module, ISTIO_MODULE);
  return join(config.cacheHome, "meridian", program, `${version}-${await sourceHash(spec)}`);
}

/** Go, or an error naming what to set instead for this program. */
async function goFor(config: HarnessConfig, spec: ProgramSpec): Promise<string> {
  try {
    return await findGo(config);
  } catch (err) {
    if (!(err instanceof GoMissingError)) throw err;
    throw new Error(`${err.message} For Istio's programs, set ${spec.envName} to a prebuilt binary instead.`, { cause: err });
  }
}

async function build(config: HarnessConfig, program: IstioProgram, target: string): Promise<void> {
  const spec = PROGRAMS[program];
  const go = await goFor(config, spec);
  const started = Date.now();
  harnessLog.info({ binary: program, target }, "Building binary");
  const partial = `${target}.partial-${process.pid}`;
  try {
    await runCommand(go, ["build", "-ldflags=-s -w", "-o", partial, spec.target], {
      cwd: goModuleDir(spec.module),
      env: { ...config.goEnv, GOFLAGS: "-trimpath" },
    });
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  await rename(partial, target);
  harnessLog.info({ binary: program, target, durationMs: Date.now() - started }, "Built binary");
}

/** Where the program would come from, without building: given, cached, or to be built (undefined). */
export async function istioProgramFound(program: IstioProgram, config: HarnessConfig = readHarnessConfig()): Promise<string | undefined> {
  const spec = PROGRAMS[program];
  const prebuilt = spec.prebuilt(config);
  if (prebuilt !== undefined) return `${spec.envName}=${prebuilt}`;
  const target = join(await istioProgramCacheDir(config, program), program);
  return (await isExecutable(target)) ? `cached in ${target}` : undefined;
}

/** The environment variable that names a prebuilt binary of the program. */
export function istioProgramEnv(program: IstioProgram): string {
  return PROGRAMS[program].envName;
}

/** The program's executable: the prebuilt one from the environment, else cached, else built (minutes when cold). */
export async function ensureIstioProgram(program: IstioProgram, config: HarnessConfig = readHarnessConfig()): Promise<string> {
  const spec = PROGRAMS[program];
  const prebuilt = spec.prebuilt(config);
  if (prebuilt !== undefined) {
    if (!(await isExecutable(prebuilt))) throw new Error(`${spec.envName}=${prebuilt} is not an executable file: build it, or unset ${spec.envName}.`);
    return prebuilt;
  }
  const dir = await istioProgramCacheDir(config, program);
  const target = join(dir, program);
  if (!(await isExecutable(target))) {
    await mkdir(dir, { recursive: true });
    await build(config, program, target);
  }
  return target;
}
