// One line a user can act on, and a kind that decides a condition's reason, for any error a
// client-node call or watch can end with. Builds on registration's classification (same wording, no
// secrets) and adds what the registry must tell apart: TLS versus network, 401 versus 403.

import { classifyError, httpStatusOf } from "../registration/errors.js";

export type FailureKind = "Unreachable" | "TLS" | "Unauthorized" | "Forbidden" | "Gone" | "Http" | "Silent" | "Other";

export interface ApiFailure {
  readonly kind: FailureKind;
  /** One line, naming the server and what failed; never a token or kubeconfig content. */
  readonly message: string;
  readonly status?: number;
}

export interface FailureContext {
  /** The API server the call went to. */
  server: string;
  /** What was being done, e.g. `list services (cluster-wide)`. */
  action: string;
}

const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|DEPTH_ZERO/;

/** Thrown into an informer whose watch went silent for too long (see ResilientInformer). */
export class SilentWatchError extends Error {
  override readonly name = "SilentWatchError";
}

export function apiFailure(err: unknown, context: FailureContext): ApiFailure {
  if (err instanceof SilentWatchError) {
    return { kind: "Silent", message: `cannot ${context.action}: ${err.message}` };
  }
  const status = statusOf(err);
  // client-node's watch reports an HTTP failure as an Error with `statusCode` and the status text.
  const normalized = status !== undefined && httpStatusOf(err) === undefined ? { code: status, body: undefined } : err;
  const message = classifyError(normalized, context).message;
  return status === undefined ? { kind: transportKind(err), message } : { kind: httpKind(status), message, status };
}

function statusOf(err: unknown): number | undefined {
  const statusCode = (err as { statusCode?: unknown } | null)?.statusCode;
  return httpStatusOf(err) ?? (typeof statusCode === "number" ? statusCode : undefined);
}

function httpKind(status: number): FailureKind {
  switch (status) {
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 410:
      return "Gone";
    default:
      return "Http";
  }
}

function transportKind(err: unknown): FailureKind {
  const cause = (err as { cause?: unknown } | null)?.cause;
  const code = stringField(cause, "code") ?? stringField(err, "code");
  if (code !== undefined && TLS_CODE.test(code)) {
    return "TLS";
  }
  const name = stringField(err, "name");
  return code !== undefined || name === "TimeoutError" || name === "AbortError" ? "Unreachable" : "Other";
}

function stringField(value: unknown, field: string): string | undefined {
  const found = (value as Record<string, unknown> | null | undefined)?.[field];
  return typeof found === "string" ? found : undefined;
}
