// Entry point of the `meridian` command, loaded by launcher.ts once the Node.js is known to be new
// enough (package.json "bin" → dist/controller/cli/launcher.js; in the repository:
// `npm run meridian -- …`). The only place that reads the process's
// environment, arguments and streams; everything else receives them (see run.ts).

import { readFileSync } from "node:fs";
import { homedir, hostname } from "node:os";
import { delimiter } from "node:path";

import { versionLine } from "./package-version.js";
import { runCli } from "./run.js";

// `meridian cluster list | head`: a closed pipe ends the output quietly, as with other CLIs.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(process.exitCode ?? 0);
  });
}

// The first SIGINT/SIGTERM asks the controller to stop gracefully; a second one ends the process.
// Other commands keep Node's default: a signal ends them at once.
const argv = process.argv.slice(2);
const stop = new AbortController();
if (argv[0] === "controller") {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stop.signal.aborted) process.exit(130);
      stop.abort();
    });
  }
}

process.exitCode = await runCli(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: { kubeconfig: process.env["KUBECONFIG"], home: homedir() },
  settingsEnv: { ...process.env },
  now: () => new Date(),
  readFile: (path) => readFileSync(path),
  version: versionLine(),
  controller: {
    env: { ...process.env },
    searchPath: (process.env["PATH"] ?? "").split(delimiter).filter((dir) => dir !== ""),
    holder: `${hostname()}-${process.pid}`,
    stop: stop.signal,
  },
});
// The controller has closed everything it opened; a library handle left open must not keep the
// process alive after a graceful stop.
if (argv[0] === "controller") setTimeout(() => process.exit(), 1_000).unref();
