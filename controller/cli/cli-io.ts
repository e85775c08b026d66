// What the CLI needs from its process, passed in by the entry point (main.ts) so tests can run the
// CLI in-process: output streams, the few environment values it honours, the clock, the filesystem.

import type { ControllerProcess } from "./controller-command.js";

export interface Output {
  write(chunk: string): unknown;
}

export interface CliIo {
  stdout: Output;
  stderr: Output;
  /** `KUBECONFIG` (paths separated by ':') and the home directory, for the default home kubeconfig. */
  env: Readonly<{ kubeconfig?: string; home?: string }>;
  /**
   * The environment variables of the controller's settings (MERIDIAN_IDENTITY_LABEL, …), which the
   * read-only commands honour so that they derive identities and hosts as the controller does.
   * Absent: every setting's default.
   */
  settingsEnv?: Readonly<Record<string, string | undefined>>;
  now: () => Date;
  readFile: (path: string) => Buffer;
  /** The process environment of `meridian controller` (absent for the other commands' tests). */
  controller?: ControllerProcess;
  /** What `meridian --version` prints (main.ts: package version and Node.js). */
  version?: string;
  /** How long register waits for new RBAC to take effect. Default 15 s. */
  settleMs?: number;
}
