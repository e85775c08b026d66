// The controller's root logger (pino, JSON lines) and the child loggers that carry context, so call
// sites never repeat it. Style: log objects, not sentences — `log.info({ kind, name }, "Applied
// ServiceEntry")`: a capitalised, past-tense message naming the kind; errors under `err`.
// Secrets never reach the output: the paths below are censored wherever they appear at the top
// level or one level down (pino's redaction does not reach deeper; never log whole Secrets or
// kubeconfigs deeper than that).

import { pino } from "pino";
import type { DestinationStream, Logger } from "pino";

import type { LogLevel } from "../config/setting-values.js";

const SECRET_KEYS = ["token", "bearerToken", "password", "kubeconfig", "keyData", "clientKeyData", "authorization", "cookie", "stringData"];

export const REDACT_PATHS: readonly string[] = Object.freeze([
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  // A Secret's payload, and request headers.
  "secret.data",
  "*.secret.data",
  "req.headers.authorization",
  "req.headers.cookie",
  "*.headers.authorization",
  // ioredis attaches the failed command to reply errors: for AUTH its arguments are credentials.
  "err.command.args",
  "*.err.command.args",
]);

export const REDACTED = "[redacted]";

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Added to every line as `name`. Default "meridian-controller". */
  readonly name?: string;
}

/** The root logger. `destination` defaults to stdout (tests pass a stream of their own). */
export function createLogger(options: LoggerOptions, destination?: DestinationStream): Logger {
  const settings = {
    name: options.name ?? "meridian-controller",
    level: options.level,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: pino.stdSerializers.err },
  };
  return destination === undefined ? pino(settings) : pino(settings, destination);
}

/** A logger for work on one member cluster: every line carries `cluster`. */
export function clusterLogger(log: Logger, cluster: string): Logger {
  return log.child({ cluster });
}

export interface ReconcileContext {
  readonly cluster: string;
  readonly identity: string;
  /** Ties together the lines of one reconcile run (e.g. the BullMQ job id and attempt). */
  readonly reconcileId: string;
}

/** A logger for one reconcile run: every line carries `cluster`, `identity` and `reconcileId`. */
export function reconcileLogger(log: Logger, context: ReconcileContext): Logger {
  return log.child({ cluster: context.cluster, identity: context.identity, reconcileId: context.reconcileId });
}
