// Exit codes scripts can rely on, and the one line printed for a failure.

import { RegistrationError } from "../../federation/registration/errors.js";
import type { FailureKind } from "../../federation/registration/errors.js";

export const EXIT = Object.freeze({
  ok: 0,
  /** Anything else: the API server refused for another reason, an object is missing, a bug. */
  runtime: 1,
  /** Bad flags or arguments, an unreadable kubeconfig, a context that does not exist. */
  usage: 2,
  /** The API server cannot be reached (connection refused, DNS, timeout, TLS verification). */
  unreachable: 3,
  /** Credentials rejected (401) or lacking a permission (403, or a missing permission found by review). */
  credentials: 4,
  /** The name is registered for another server, or an object is not Meridian's (use --force). */
  conflict: 5,
  /** A check found problems (`meridian policy check`); `meridian plan`: a new problem would appear. */
  findings: 6,
  /** `meridian diff --exit-code`: something differs (as `diff` itself answers 1). */
  differs: 1,
  /** `meridian plan --detailed-exitcode`: something would change (Terraform's 2). */
  changes: 2,
} as const);

const BY_KIND: Readonly<Record<FailureKind, number>> = {
  usage: EXIT.usage,
  unreachable: EXIT.unreachable,
  credentials: EXIT.credentials,
  permissions: EXIT.credentials,
  conflict: EXIT.conflict,
  "not-found": EXIT.runtime,
  runtime: EXIT.runtime,
};

/** A failure of the command line itself (flags), exit code 2. */
export class UsageError extends RegistrationError {
  constructor(message: string) {
    super("usage", message);
  }
}

export function exitCodeOf(err: unknown): number {
  return err instanceof RegistrationError ? BY_KIND[err.kind] : EXIT.runtime;
}

/** One line: the error's message, never its stack or cause (which may quote request bodies). */
export function errorLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const line = message.split("\n")[0] ?? "";
  return `error: ${line}`;
}
