// `meridian controller`: validates every setting (flag, else environment variable, else default)
// before anything starts — a bad value stops it with exit code 2, naming the setting — then runs
// the controller until the process is asked to stop (SIGINT/SIGTERM), and shuts down gracefully.

import type { KubeConfig } from "@kubernetes/client-node";
import type { DestinationStream } from "pino";

import { loadControllerConfig, loggableConfig } from "../config/index.js";
import type { Env } from "../config/index.js";
import { createLogger } from "../observability/index.js";
import { LocalRedisError, RedisConnectError, RedisUnsuitableError } from "../redis/index.js";
import { HomeKubeconfigError, loadHomeKubeConfig } from "../runtime/home-kubeconfig.js";
import { startController } from "../runtime/controller-runtime.js";
import type { CliIo } from "./cli-io.js";
import { EXIT, errorLine } from "./exit-codes.js";

/** What only the controller command needs from its process (main.ts provides it). */
export interface ControllerProcess {
  /** The whole environment: every setting has an environment variable. */
  readonly env: Env;
  /** The PATH's directories (where a private redis-server is looked for). */
  readonly searchPath: readonly string[];
  /** This replica's name for the leader Lease, e.g. `hostname-pid`. */
  readonly holder: string;
  /** Aborts when the process is asked to stop. */
  readonly stop: AbortSignal;
  /** Log lines go here instead of stdout (tests). */
  readonly logDestination?: DestinationStream;
}

export async function runController(options: Record<string, unknown>, io: CliIo): Promise<number> {
  const proc = io.controller;
  if (proc === undefined) {
    io.stderr.write("error: meridian controller needs a process environment (run it from the meridian command)\n");
    return EXIT.runtime;
  }
  const loaded = loadControllerConfig(options, proc.env);
  if (!loaded.ok) {
    for (const error of loaded.errors) io.stderr.write(`error: ${error}\n`);
    io.stderr.write("The controller did not start. See `meridian controller --help` for every setting.\n");
    return EXIT.usage;
  }
  const config = loaded.config;
  // An unusable home kubeconfig is a usage error like a bad setting: one line, no log, no stack.
  let homeKubeConfig: KubeConfig;
  try {
    homeKubeConfig = loadHomeKubeConfig({ files: config.home.kubeconfigFiles, context: config.home.context, inCluster: proc.env["KUBERNETES_SERVICE_HOST"] !== undefined, homeDirectory: io.env.home });
  } catch (err) {
    if (!(err instanceof HomeKubeconfigError)) throw err;
    io.stderr.write(`${errorLine(err)}\nThe controller did not start.\n`);
    return EXIT.usage;
  }
  const log = createLogger({ level: config.logLevel }, proc.logDestination);
  log.info({ config: loggableConfig(config) }, "Starting the controller");
  try {
    if (proc.stop.aborted) return EXIT.ok;
    const controller = await startController(config, { log, homeKubeConfig, searchPath: proc.searchPath, holder: proc.holder });
    await new Promise<void>((resolve) => (proc.stop.aborted ? resolve() : proc.stop.addEventListener("abort", () => resolve(), { once: true })));
    await controller.stop();
    return EXIT.ok;
  } catch (err) {
    log.fatal({ err }, "The controller could not start");
    io.stderr.write(`${errorLine(err)}\n`);
    return startFailureCode(err);
  }
}

function startFailureCode(err: unknown): number {
  if (err instanceof RedisConnectError || err instanceof LocalRedisError) return EXIT.unreachable;
  if (err instanceof RedisUnsuitableError) return EXIT.usage;
  return EXIT.runtime;
}
