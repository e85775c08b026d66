// What one run of the fault suite keeps in its directory (made by the global setup, handed to the case
// files through provide/inject): each case's result as JSON, every controller log and CLI transcript
// (for the secrets scan), and the secrets each case's clusters held (what the scan looks for).
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { inject } from "vitest";

import type { FaultResult } from "./fault-table.js";

declare module "vitest" {
  export interface ProvidedContext {
    faultRun: { dir: string };
  }
}

export const RESULTS = "results";
export const LOGS = "logs";
export const SECRETS = "secrets";

function sub(dir: string, name: string): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  return path;
}

export function faultRunDir(): string {
  return inject("faultRun").dir;
}

/** Where controller logs, CLI transcripts and state dumps go: everything the secrets scan reads. */
export function logsDir(run = faultRunDir()): string {
  return sub(run, LOGS);
}

export function recordResult(result: FaultResult, run = faultRunDir()): void {
  writeFileSync(join(sub(run, RESULTS), `${result.case}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

export function readResults(run: string): FaultResult[] {
  const dir = join(run, RESULTS);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")) as FaultResult);
}

/** Keeps a copy of a log file of this run (a controller's) for the secrets scan. */
export function keepLog(file: string, prefix: string, run = faultRunDir()): void {
  if (existsSync(file)) copyFileSync(file, join(logsDir(run), `${prefix}-${basename(file)}`));
}

export function writeLog(name: string, text: string, run = faultRunDir()): void {
  writeFileSync(join(logsDir(run), name), text);
}

/** The secret strings a case's clusters held (tokens), mode 0600; never scanned themselves. */
export function recordSecrets(caseName: string, secrets: readonly string[], run = faultRunDir()): void {
  const file = join(sub(run, SECRETS), `${caseName}.json`);
  writeFileSync(file, JSON.stringify([...new Set(secrets)].filter((s) => s.length >= 16)), { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function readSecrets(run: string): string[] {
  const dir = join(run, SECRETS);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => JSON.parse(readFileSync(join(dir, name), "utf8")) as string[]);
}
