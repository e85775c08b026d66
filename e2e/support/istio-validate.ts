// Istio's own validation (the code istiod's validating webhook runs) over objects, through the
// istio-validate program of e2e/go/istio-validate, built or found by the harness.
import { spawn } from "node:child_process";
import { stringify } from "yaml";
import { ensureIstioProgram } from "../harness/istio-binaries.js";

export interface IstioVerdict {
  /** Where the object came from (a file name, or `-` for objects passed in). */
  source: string;
  index: number;
  kind: string;
  namespace: string;
  name: string;
  errors: string[];
  warnings: string[];
}

interface Output {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runWithInput(file: string, args: readonly string[], input: string): Promise<Output> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") }));
    child.stdin.end(input);
  });
}

/** One verdict per object, in order. Exit code 1 only means some object has errors; 2 and others mean the program failed. */
export async function validateWithIstio(objects: readonly unknown[]): Promise<IstioVerdict[]> {
  if (objects.length === 0) return [];
  const binary = await ensureIstioProgram("istio-validate");
  const input = objects.map((object) => stringify(object, { aliasDuplicateObjects: false, lineWidth: 0 })).join("---\n");
  const { code, stdout, stderr } = await runWithInput(binary, [], input);
  if (code !== 0 && code !== 1) throw new Error(`${binary} exited with code ${String(code)}: ${stderr.trim()}`);
  const verdicts = stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as IstioVerdict);
  if (verdicts.length !== objects.length) throw new Error(`${binary} judged ${verdicts.length} of ${objects.length} objects: ${stderr.trim()}`);
  return verdicts;
}

/**
 * Warnings Istio's validation gives on objects Meridian writes on purpose, each explained in a
 * comment next to the planner rule that causes it. Anything else is a defect to fix.
 */
const EXPLAINED_WARNINGS: readonly { pattern: RegExp; rule: string }[] = [];

/** The planner rule that explains a warning, or undefined when nothing does. */
export function explainedIstioWarning(warning: string): string | undefined {
  return EXPLAINED_WARNINGS.find(({ pattern }) => pattern.test(warning))?.rule;
}
