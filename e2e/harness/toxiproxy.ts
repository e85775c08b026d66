// Toxiproxy for the fault suite: a real TCP fault proxy (latency, reset_peer, limit_data) between the
// controller and one member's API server. The binary is the prebuilt file named by MERIDIAN_TOXIPROXY;
// else `<cache>/meridian/toxiproxy/<version>/toxiproxy`; else built there from the Go module that pins
// it (e2e/go/toxiproxy). `startToxiproxy` runs one server on a free loopback port; its proxies and
// toxics are driven over its HTTP API (e2e/support/toxiproxy.ts).
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { isExecutable } from "./find-executable.js";
import { freePort } from "./free-port.js";
import { findGo, GoMissingError } from "./go-toolchain.js";
import { pinnedVersion } from "./go-module-version.js";
import { readHarnessConfig, type HarnessConfig } from "./harness-config.js";
import { harnessLog } from "./harness-log.js";
import { startProcess, type ManagedProcess } from "./managed-process.js";
import { toxiproxyMissingMessage } from "./prerequisite-messages.js";
import { goModuleDir } from "./repo-paths.js";
import { runCommand } from "./run-command.js";
import { waitUntil } from "./wait-until.js";

const TOXIPROXY_MODULE = "github.com/Shopify/toxiproxy/v2";

/** `<cache>/meridian/toxiproxy/<version>/`: the version alone, so a binary built before from the same release is reused. */
export async function toxiproxyCacheDir(config: HarnessConfig): Promise<string> {
  return join(config.cacheHome, "meridian", "toxiproxy", await pinnedVersion("toxiproxy", TOXIPROXY_MODULE));
}

/** Whether the file is a toxiproxy-server that runs (`-version` answers; a build without the stamp says `git`). */
async function runsAsToxiproxy(file: string): Promise<boolean> {
  if (!(await isExecutable(file))) return false;
  const answer = await runCommand(file, ["-version"]).catch(() => undefined);
  return answer !== undefined && /^toxiproxy-server version /.test(answer.stdout.trim());
}

async function build(config: HarnessConfig, version: string, target: string): Promise<void> {
  let go: string;
  try {
    go = await findGo(config);
  } catch (err) {
    if (err instanceof GoMissingError) throw new Error(toxiproxyMissingMessage(), { cause: err });
    throw err;
  }
  const started = Date.now();
  harnessLog.info({ binary: "toxiproxy", version, target }, "Building binary");
  const partial = `${target}.partial-${process.pid}`;
  try {
    await runCommand(go, ["build", `-ldflags=-s -w -X ${TOXIPROXY_MODULE}.Version=${version}`, "-o", partial, `${TOXIPROXY_MODULE}/cmd/server`], {
      cwd: goModuleDir("toxiproxy"),
      env: { ...config.goEnv, GOFLAGS: "-trimpath" },
    });
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  await rename(partial, target);
  harnessLog.info({ binary: "toxiproxy", target, durationMs: Date.now() - started }, "Built binary");
}

/** The toxiproxy-server executable: MERIDIAN_TOXIPROXY, else cached, else built (under a minute with Go's module cache warm). */
export async function ensureToxiproxy(config: HarnessConfig = readHarnessConfig()): Promise<string> {
  if (config.toxiproxy !== undefined) {
    if (!(await isExecutable(config.toxiproxy))) throw new Error(`MERIDIAN_TOXIPROXY=${config.toxiproxy} is not an executable file: build it, or unset MERIDIAN_TOXIPROXY.`);
    return config.toxiproxy;
  }
  const dir = await toxiproxyCacheDir(config);
  const target = join(dir, "toxiproxy");
  if (!(await runsAsToxiproxy(target))) {
    await mkdir(dir, { recursive: true });
    await build(config, await pinnedVersion("toxiproxy", TOXIPROXY_MODULE), target);
  }
  return target;
}

export interface ToxiproxyServer {
  /** `http://127.0.0.1:<port>`: Toxiproxy's HTTP API. */
  readonly apiUrl: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** One toxiproxy-server on a free loopback port, logging into `dir`; resolves once its API answers. */
export async function startToxiproxy(dir: string, config: HarnessConfig = readHarnessConfig()): Promise<ToxiproxyServer> {
  const binary = await ensureToxiproxy(config);
  const port = await freePort();
  const process = startProcess({ name: "toxiproxy", command: binary, args: ["-host", "127.0.0.1", "-port", String(port)], logFile: join(dir, "toxiproxy.log") });
  const apiUrl = `http://127.0.0.1:${port}`;
  await waitUntil(async () => (await fetch(`${apiUrl}/version`, { signal: AbortSignal.timeout(1_000) })).ok, {
    what: `toxiproxy at ${apiUrl}`,
    timeoutMs: 20_000,
    failIf: () => (process.exited() ? `toxiproxy exited: ${process.logTail(10)}` : undefined),
  });
  return { apiUrl, process, stop: () => process.stop() };
}
