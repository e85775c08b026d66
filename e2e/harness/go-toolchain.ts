// Finds the Go toolchain that builds kube-apiserver and etcd, or says what to do without one.
import type { HarnessConfig } from "./harness-config.js";
import { findExecutable } from "./find-executable.js";
import { MINIMUM_GO_MINOR, goMissingMessage } from "./prerequisite-messages.js";
import { runCommand } from "./run-command.js";

export class GoMissingError extends Error {
  constructor(detail: string) {
    super(goMissingMessage(detail));
    this.name = "GoMissingError";
  }
}

/** `go1.26.8` → 26; anything unparsable → undefined. */
export function goMinorVersion(goVersion: string): number | undefined {
  const match = /^go1\.(\d+)/.exec(goVersion.trim());
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export async function findGo(config: HarnessConfig): Promise<string> {
  const go = await findExecutable("go", config.searchPath);
  if (go === undefined) throw new GoMissingError("Go was not found on PATH");
  const { stdout } = await runCommand(go, ["env", "GOVERSION"], { env: config.goEnv });
  const minor = goMinorVersion(stdout);
  if (minor === undefined || minor < MINIMUM_GO_MINOR) throw new GoMissingError(`${go} is ${stdout.trim()}`);
  return go;
}
