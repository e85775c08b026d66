// Registration's failures, each one line a user can act on, with a kind a CLI maps to an exit code.
// classifyError turns client-node's errors (undici's `fetch failed` with a cause, undici's own error
// from request() with its code, ApiException with an HTTP code) into them. Messages never contain tokens or kubeconfig contents.
import { apiMessage, httpStatusOf } from "../kube/api-errors.js";

export { apiMessage, httpStatusOf };

export type FailureKind = "usage" | "unreachable" | "credentials" | "permissions" | "conflict" | "not-found" | "runtime";

export class RegistrationError extends Error {
  override readonly name = "RegistrationError";
  readonly kind: FailureKind;

  constructor(kind: FailureKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

export interface ErrorContext {
  /** The API server the call went to. */
  server: string;
  /** What was being done, e.g. `apply ClusterRole meridian-member-read`. */
  action: string;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
]);

const REACH_HINT = "check the address and that the API server runs";

/** A RegistrationError for any error thrown by a client-node call. RegistrationErrors pass through. */
export function classifyError(err: unknown, context: ErrorContext): RegistrationError {
  if (err instanceof RegistrationError) {
    return err;
  }
  const status = httpStatusOf(err);
  if (status !== undefined) {
    return fromHttpStatus(status, apiMessage(err), context, err);
  }
  return fromTransport(err, context);
}

function fromHttpStatus(status: number, message: string, context: ErrorContext, cause: unknown): RegistrationError {
  const detail = message === "" ? "" : `: ${message}`;
  if (status === 401) {
    return new RegistrationError(
      "credentials",
      `${context.server} rejected the credentials (401 Unauthorized): the token or certificate is invalid or expired`,
      { cause },
    );
  }
  if (status === 403) {
    return new RegistrationError("permissions", `cannot ${context.action} (403 Forbidden)${detail}`, { cause });
  }
  if (status === 404) {
    return new RegistrationError("not-found", `cannot ${context.action} (404 Not Found)${detail}`, { cause });
  }
  if (status === 409) {
    return new RegistrationError("conflict", `cannot ${context.action} (409 Conflict)${detail}`, { cause });
  }
  return new RegistrationError("runtime", `cannot ${context.action} (HTTP ${status})${detail}`, { cause });
}

function fromTransport(err: unknown, context: ErrorContext): RegistrationError {
  const cause = causeOf(err);
  const code = stringField(cause, "code") ?? stringField(err, "code");
  if (isTimeout(err) || isTimeout(cause)) {
    return new RegistrationError("unreachable", `cannot reach ${context.server} (timed out): ${REACH_HINT}`, { cause: err });
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    const syscall = syscallOf(err, cause);
    const what = syscall === undefined ? code : `${syscall} ${code}`;
    return new RegistrationError("unreachable", `cannot reach ${context.server} (${what}): ${REACH_HINT}`, { cause: err });
  }
  if (code !== undefined && isTlsCode(code)) {
    return tlsError(code, context, err);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new RegistrationError("runtime", `cannot ${context.action}: ${message}`, { cause: err });
}

/** fetch wraps the network error as its cause; undici's request() throws it as it is. */
function syscallOf(err: unknown, cause: unknown): string | undefined {
  return stringField(cause, "syscall") ?? stringField(err, "syscall");
}

function tlsError(code: string, context: ErrorContext, cause: unknown): RegistrationError {
  return new RegistrationError(
    "unreachable",
    `cannot verify the certificate of ${context.server} (${code}): check certificate-authority-data and the server address in the kubeconfig`,
    { cause },
  );
}

function isTlsCode(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|DEPTH_ZERO/.test(code);
}

function isTimeout(value: unknown): boolean {
  const name = stringField(value, "name");
  return name === "TimeoutError" || name === "AbortError";
}

function causeOf(err: unknown): unknown {
  return (err as { cause?: unknown } | null)?.cause;
}

function stringField(value: unknown, field: string): string | undefined {
  const found = (value as Record<string, unknown> | null | undefined)?.[field];
  return typeof found === "string" ? found : undefined;
}
