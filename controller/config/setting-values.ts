// The kinds of value a controller setting takes, as zod schemas from the raw string (a flag or an
// environment variable) to a typed value. Messages describe the value, never the setting: the loader
// prefixes each with the setting's flag and variable (`--resync-interval / MERIDIAN_RESYNC_INTERVAL: …`).

import { z } from "zod";

import { DNS1123_SUBDOMAIN_PATTERN, DURATION_PATTERN, formatDuration, parseDuration } from "../../crds/common.js";
import { dnsLabelProblem } from "../../federation/dns-label.js";
import { redactRedisUrl, redisUrlProblem } from "../redis/redis-url.js";

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string): Parsed<never> => ({ ok: false, message });
const quote = (raw: string): string => JSON.stringify(raw);

const text = z.string({ error: (issue) => (issue.input === undefined ? "is required" : `must be a string (got ${typeof issue.input})`) });

/** A schema from a raw string through `parse`, whose failure message becomes the zod issue. */
function parsedWith<T>(parse: (raw: string) => Parsed<T>) {
  return text.transform((raw, ctx): T => {
    const result = parse(raw);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message });
      return z.NEVER;
    }
    return result.value;
  });
}

function parseDurationMs(raw: string, minMs: number): Parsed<number> {
  if (raw === "" || !DURATION_PATTERN.test(raw)) return bad(`${quote(raw)} is not a duration (use e.g. 90s, 5m, 1h)`);
  const ms = parseDuration(raw);
  return ms < minMs ? bad(`${quote(raw)} is too short (at least ${formatDuration(minMs)})`) : ok(ms);
}

/** A duration such as `90s`, `5m`, `1h30m`, `500ms`, in milliseconds. */
export function durationMs(minMs = 1) {
  return parsedWith((raw) => parseDurationMs(raw, minMs));
}

/** What a negative value is told: the range it must be in. */
function negative(raw: string, min: number, max: number, kind: string): Parsed<never> {
  const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
  return bad(`${quote(raw)} is negative: it must be a ${min > 0 ? "positive" : "non-negative"} ${kind} (${range})`);
}

function parseInteger(raw: string, min: number, max: number): Parsed<number> {
  if (/^-\d{1,15}$/.test(raw)) return negative(raw, min, max, "whole number");
  if (!/^\d{1,15}$/.test(raw)) return bad(`${quote(raw)} is not a whole number`);
  const value = Number(raw);
  if (value < min) return bad(`${quote(raw)} is too small (at least ${min})`);
  return value > max ? bad(`${quote(raw)} is too large (at most ${max})`) : ok(value);
}

export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return parsedWith((raw) => parseInteger(raw, min, max));
}

function parseDecimal(raw: string, min: number, max: number): Parsed<number> {
  if (/^-\d{1,15}(\.\d{1,15})?$/.test(raw)) return negative(raw, min, max, "number");
  if (!/^\d{1,15}(\.\d{1,15})?$/.test(raw)) return bad(`${quote(raw)} is not a number (use e.g. 50 or 0.5)`);
  const value = Number(raw);
  if (value < min) return bad(`${quote(raw)} is too small (at least ${min})`);
  return value > max ? bad(`${quote(raw)} is too large (at most ${max})`) : ok(value);
}

/** A non-negative decimal number within [min, max]. */
export function decimal(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return parsedWith((raw) => parseDecimal(raw, min, max));
}

/** A DNS-1123 label: namespaces, env names. */
export function dnsLabel() {
  return parsedWith((raw) => {
    const problem = dnsLabelProblem(raw);
    return problem === undefined ? ok(raw) : bad(`${quote(raw)} ${problem}`);
  });
}

/** A DNS-1123 subdomain: the global host suffix, the Lease name. */
export function dnsSubdomain() {
  return parsedWith((raw) =>
    raw.length <= 253 && DNS1123_SUBDOMAIN_PATTERN.test(raw)
      ? ok(raw)
      : bad(`${quote(raw)} is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', e.g. global or mesh.example.com)`),
  );
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** A Kubernetes label or annotation key: `[prefix/]name`. */
function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = key.slice(slash + 1);
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN_PATTERN.test(prefix));
  return prefixOk && LABEL_NAME.test(name) ? undefined : `${quote(key)} is not a label or annotation key (use e.g. identity or admiral.io/env)`;
}

export function labelKey() {
  return parsedWith((raw) => {
    const problem = labelKeyProblem(raw);
    return problem === undefined ? ok(raw) : bad(problem);
  });
}

/** Comma-separated label keys, in the given order (the order they are tried in). */
export function labelKeys() {
  return parsedWith((raw): Parsed<readonly string[]> => {
    const keys = raw.split(",").map((key) => key.trim());
    const problem = keys.map(labelKeyProblem).find((found) => found !== undefined);
    return problem === undefined ? ok(Object.freeze(keys)) : bad(`${problem}; give a comma-separated list`);
  });
}

export interface ListenAddress {
  /** Undefined: every interface. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
}

const LISTEN = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]*)):(\d{1,5})$/;

function parseListen(raw: string): Parsed<ListenAddress> {
  const match = LISTEN.exec(raw);
  const port = Number(match?.[3] ?? Number.NaN);
  if (match === null || !(port <= 65535)) return bad(`${quote(raw)} is not a listen address (use e.g. :8080, 0.0.0.0:8080, 127.0.0.1:8080 or [::1]:8080)`);
  const host = match[1] ?? match[2] ?? "";
  return ok(Object.freeze(host === "" ? { port } : { host, port }));
}

/** `host:port`, `:port` (every interface) or `[ipv6]:port`. */
export function listenAddress() {
  return parsedWith(parseListen);
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function logLevel() {
  return parsedWith((raw): Parsed<LogLevel> => {
    const level = LOG_LEVELS.find((known) => known === raw.toLowerCase());
    return level === undefined ? bad(`${quote(raw)} is not a log level (use ${LOG_LEVELS.join(", ")})`) : ok(level);
  });
}

/** A redis:// or rediss:// URL; a bad one is quoted without its password. */
export function redisUrl() {
  return parsedWith((raw) => {
    const problem = redisUrlProblem(raw);
    return problem === undefined ? ok(raw) : bad(`${quote(redactRedisUrl(raw))} ${problem}`);
  });
}

/** A file path, non-empty. */
export function filePath() {
  return parsedWith((raw) => (raw.trim() === "" ? bad("is empty (give a file path)") : ok(raw)));
}

/** Colon-separated file paths (the `KUBECONFIG` convention); empty entries are dropped. */
export function filePaths() {
  return parsedWith((raw): Parsed<readonly string[]> => {
    const files = raw.split(":").filter((file) => file.trim() !== "");
    return files.length === 0 ? bad("is empty (give a kubeconfig file, or several separated by ':')") : ok(Object.freeze(files));
  });
}

/** Any non-empty string (a kubeconfig context name). */
export function nonEmpty() {
  return parsedWith((raw) => (raw === "" ? bad("is empty") : ok(raw)));
}
