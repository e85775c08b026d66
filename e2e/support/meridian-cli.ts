// Runs the `meridian` CLI for e2e tests: in-process through runCli (fast, same code path as the
// binary after argument parsing), or as a child process exactly as a user runs it from the repo.
import { execFile } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { runCli } from "../../controller/cli/run.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

let transcriptDir: string | undefined;

/**
 * From now on, every in-process run's arguments, exit code, stdout and stderr are also appended to
 * `<dir>/meridian-cli-<pid>.log` (the fault suite scans what the CLI printed for secrets).
 */
export function recordCliRunsIn(dir: string): void {
  transcriptDir = dir;
}

/** `meridian ...argv` in this process. No KUBECONFIG from the environment: pass --home-kubeconfig. */
export function meridian(...argv: string[]): Promise<CliRun> {
  return meridianWithEnv({}, ...argv);
}

/** `meridian ...argv` in this process with these environment variables (the controller's settings, e.g. MERIDIAN_IDENTITY_LABEL). */
export async function meridianWithEnv(settingsEnv: Readonly<Record<string, string>>, ...argv: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    settingsEnv,
    now: () => new Date(),
    readFile: (path) => readFileSync(path),
  });
  if (transcriptDir !== undefined) appendFileSync(join(transcriptDir, `meridian-cli-${process.pid}.log`), `$ meridian ${argv.join(" ")}\n[exit ${code}]\n${stdout}${stderr}\n`);
  return { code, stdout, stderr };
}

/** `node --import tsx controller/cli/main.ts ...argv` as a child process, from the repository root. */
export function meridianProcess(...argv: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "controller/cli/main.ts", ...argv], { cwd: repoRoot, timeout: 90_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : undefined;
      if (code === undefined) reject(err ?? new Error("no exit code"));
      else resolve({ code, stdout, stderr });
    });
  });
}
