// Runs a short-lived command to completion and returns its output; fails with the output's tail.
import { spawn } from "node:child_process";

export interface CommandOptions {
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export class CommandFailedError extends Error {
  constructor(command: string, code: number | null, stderr: string) {
    const tail = stderr.trim().split("\n").slice(-30).join("\n");
    super(`${command} exited with code ${String(code)}:\n${tail}`);
    this.name = "CommandFailedError";
  }
}

export function runCommand(file: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const result = { stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") };
      if (code === 0) resolve(result);
      else reject(new CommandFailedError([file, ...args].join(" "), code, result.stderr));
    });
  });
}
