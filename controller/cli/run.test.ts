// The command line without any cluster: usage errors, help, exit codes. (The e2e test runs it
// against real API servers.)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";

import type { CliIo } from "./cli-io.js";
import { runCli } from "./run.js";

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWith({}, ...argv);
}

async function cliWith(extra: Partial<CliIo>, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    now: () => new Date("2026-01-01T00:00:00Z"),
    readFile: () => Buffer.from(""),
    ...extra,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), "meridian-cli-"));
const kubeconfig = join(dir, "member.yaml");
writeFileSync(
  kubeconfig,
  stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "a", cluster: { server: "https://127.0.0.1:1" } }],
    users: [{ name: "u", user: { token: "t" } }],
    contexts: [
      { name: "alpha", context: { cluster: "a", user: "u" } },
      { name: "beta", context: { cluster: "a", user: "u" } },
    ],
    "current-context": "alpha",
  }),
);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("meridian CLI (no cluster needed)", () => {
  it("a missing --region: exit 2, one line naming the flag", async () => {
    const result = await cli("cluster", "register", "east", "--kubeconfig", kubeconfig);
    expect(result).toEqual({ code: 2, stdout: "", stderr: "error: --region is required (the member's region, e.g. us-east-1)\n" });
  });

  it("an unknown context: exit 2, naming the file and the contexts there", async () => {
    const result = await cli("cluster", "register", "east", "--kubeconfig", kubeconfig, "--context", "x", "--region", "r");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: context "x" not found in ${kubeconfig}; available: alpha, beta\n`);
  });

  it("an unreadable kubeconfig: exit 2", async () => {
    const result = await cli("cluster", "register", "east", "--kubeconfig", join(dir, "missing.yaml"), "--region", "r");
    expect(result).toMatchObject({ code: 2, stderr: `error: cannot read kubeconfig ${join(dir, "missing.yaml")} (ENOENT)\n` });
  });

  it("commander's own errors: exit 2, one line", async () => {
    const unknown = await cli("cluster", "register", "east", "--bogus");
    expect(unknown).toMatchObject({ code: 2, stderr: "error: unknown option '--bogus' (see --help)\n" });
    const missing = await cli("cluster", "status");
    expect(missing).toMatchObject({ code: 2, stderr: "error: missing required argument 'name' (see --help)\n" });
  });

  it("no home kubeconfig at all: exit 2", async () => {
    expect(await cli("cluster", "list")).toMatchObject({ code: 2, stderr: "error: no home kubeconfig: pass --home-kubeconfig, or set KUBECONFIG\n" });
  });

  it("--help: exit 0, usage and exit codes on stdout", async () => {
    const result = await cli("cluster", "register", "--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--use-given-credentials");
    const top = await cli("cluster", "--help");
    expect(top.stdout).toContain("5  conflict");
  });

  it("--version: exit 0, the line main.ts gives", async () => {
    expect(await cliWith({ version: "meridian 9.9.9 (Node.js v24.0.0, linux-x64)" }, "--version")).toEqual({
      code: 0,
      stdout: "meridian 9.9.9 (Node.js v24.0.0, linux-x64)\n",
      stderr: "",
    });
  });

  it("completion: a script for bash or zsh; another shell is a usage error naming the choices", async () => {
    const bash = await cli("completion", "bash");
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain("'drill') words='plan start status abort report --help -h' ;;");
    expect((await cli("completion", "zsh")).stdout).toContain("#compdef meridian");
    expect(await cli("completion", "fish")).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: command-argument value 'fish' is invalid for argument 'shell'. Allowed choices are bash, zsh. (see --help)\n",
    });
  });
  it("plan, diff, explain: help with examples; flags checked before any cluster is touched", async () => {
    for (const command of ["plan", "diff", "explain"]) {
      const help = await cli(command, "--help");
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("Examples:");
      expect(help.stdout).toContain("Exit codes:");
    }
    expect(await cli("plan", "--home-kubeconfig", kubeconfig)).toMatchObject({ code: 2, stderr: "error: -f/--filename is required: one or more manifest files, or - for standard input\n" });
    expect(await cli("explain", "payments", "--home-kubeconfig", kubeconfig)).toMatchObject({ code: 2, stderr: "error: --from is required (the member cluster the client runs in)\n" });
    expect(await cli("diff", "--cluster", "Bad_Name", "--home-kubeconfig", kubeconfig)).toMatchObject({ code: 2 });
    const bad = await cliWith({ readFile: () => Buffer.from("kind: ServiceDependency\napiVersion: meridian.dev/v1alpha1\nmetadata: { name: x }\nspec: { source: { identity: a }, destinations: [] }\n") }, "plan", "-f", "dep.yaml", "--home-kubeconfig", kubeconfig);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: dep\.yaml, document 1 \(ServiceDependency x\): field spec\.destinations: /);
  });
});
