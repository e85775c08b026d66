// Imported before anything else by every entry point (`meridian`, the npm scripts through
// `--import`): on a Node.js older than Meridian needs it runs the same command again on the bundled
// Node.js when that is installed, and otherwise prints one line and exits 1 — instead of the stack
// trace that importing @kubernetes/client-node gives on Node.js 20. Node built-ins only: this file
// must itself run on old Node.js.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import { bundledNodePackage, nodeRuntimeVerdict } from "./node-runtime.js";

function installedBundledNode(): string | undefined {
  const name = bundledNodePackage(process.platform, process.arch);
  if (name === undefined) return undefined;
  try {
    const manifest = createRequire(import.meta.url).resolve(`${name}/package.json`);
    const node = join(dirname(manifest), "bin", "node");
    return existsSync(node) ? node : undefined;
  } catch {
    return undefined; // not installed (another platform, or --omit=optional)
  }
}

/** Runs this process's command line on `node` and exits with its code (signals are passed on). */
function runAgainOn(node: string): Promise<never> {
  const child = spawn(node, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  return new Promise<never>(() => {
    child.on("exit", (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
    child.on("error", (err) => {
      process.stderr.write(`meridian: cannot start the bundled Node.js ${node}: ${err.message}\n`);
      process.exit(1);
    });
  });
}

const verdict = nodeRuntimeVerdict({
  version: process.version,
  platform: process.platform,
  arch: process.arch,
  execPath: process.execPath,
  bundledNode: installedBundledNode(),
});
if (verdict.kind === "use-bundled") await runAgainOn(verdict.node);
if (verdict.kind === "problem") {
  process.stderr.write(`${verdict.message}\n`);
  process.exit(1);
}
