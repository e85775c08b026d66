// Entry point of the `meridian` command (package.json "bin" → dist/controller/cli/main.js; in the
// repository: `node --import tsx controller/cli/main.ts`). The only place that reads the process's
// environment, arguments and streams; everything else receives them (see run.ts).

import { readFileSync } from "node:fs";
import { homedir } from "node:os";

import { runCli } from "./run.js";

// `meridian cluster list | head`: a closed pipe ends the output quietly, as with other CLIs.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: { kubeconfig: process.env["KUBECONFIG"], home: homedir() },
  now: () => new Date(),
  readFile: (path) => readFileSync(path),
});
