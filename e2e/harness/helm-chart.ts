// `helm lint` and `helm template` of Meridian's charts (deploy/helm/), with a helm from ensureHelm.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Helm } from "./helm.js";
import { repoRoot } from "./repo-paths.js";

const execFileAsync = promisify(execFile);

export const CHARTS = Object.freeze({
  /** The controller for the home cluster. */
  meridian: join(repoRoot, "deploy", "helm", "meridian"),
  /** The ServiceAccount and RBAC for a member cluster. */
  member: join(repoRoot, "deploy", "helm", "meridian-member"),
});

/** Release and namespace of deploy/manifests/ and of the README's commands. */
export const DEFAULT_RELEASE = "meridian";
export const DEFAULT_NAMESPACE = "meridian-system";

export interface ChartOptions {
  readonly release?: string;
  readonly namespace?: string;
  /** Values files, applied in order. */
  readonly valuesFiles?: readonly string[];
  /** `--set` pairs, applied after the files. */
  readonly set?: Readonly<Record<string, string>>;
  /** Only these templates, e.g. `templates/rbac.yaml`. */
  readonly showOnly?: readonly string[];
  readonly includeCrds?: boolean;
}

function valueArgs(options: ChartOptions): string[] {
  const args = ["--namespace", options.namespace ?? DEFAULT_NAMESPACE];
  for (const file of options.valuesFiles ?? []) args.push("--values", file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push("--set", `${key}=${value}`);
  return args;
}

/** helm failed; the message holds its whole output (lint reports on stdout, template on stderr). */
export class HelmFailedError extends Error {
  constructor(args: readonly string[], stdout: string, stderr: string) {
    super(`helm ${args.join(" ")} failed:\n${stdout}${stderr}`.trimEnd());
    this.name = "HelmFailedError";
  }
}

/** Runs helm with `args` (its stdout), e.g. `install` with `--kubeconfig`. */
export async function helmRun(helm: Helm, args: readonly string[]): Promise<string> {
  try {
    return (await execFileAsync(helm.file, args, { env: helm.env, cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (err) {
    const { stdout = "", stderr = "" } = err as { stdout?: string; stderr?: string };
    throw new HelmFailedError(args, stdout, stderr);
  }
}

/** `helm template`: the rendered YAML, one document per object. */
export function helmTemplate(helm: Helm, chart: string, options: ChartOptions = {}): Promise<string> {
  const args = ["template", options.release ?? DEFAULT_RELEASE, chart, ...valueArgs(options)];
  if (options.includeCrds === true) args.push("--include-crds");
  for (const template of options.showOnly ?? []) args.push("--show-only", template);
  return helmRun(helm, args);
}

/** `helm lint --strict`: its output; rejects when the chart or the values fail. */
export function helmLint(helm: Helm, chart: string, options: ChartOptions = {}): Promise<string> {
  return helmRun(helm, ["lint", "--strict", chart, ...valueArgs(options)]);
}

/** The error helm prints for a call that must fail (throws if it succeeded). */
export async function helmError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    if (err instanceof HelmFailedError) return err.message;
    throw err;
  }
  throw new Error("Expected helm to fail, but it succeeded.");
}

/** Splits helm's output into its YAML documents (without the `---` lines), dropping empty ones. */
export function yamlDocuments(rendered: string): string[] {
  return rendered
    .split(/^---[ \t]*$/m)
    .map((document) => document.trim())
    .filter((document) => document.split("\n").some((line) => line.trim() !== "" && !line.trimStart().startsWith("#")));
}
