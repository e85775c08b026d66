// `meridian drill plan` refuses bad flags before it reads anything: exit 2 and one line naming the flag.
import { describe, expect, it } from "vitest";

import type { CliIo } from "./cli-io.js";
import { runCli } from "./run.js";

async function plan(...argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const io: CliIo = {
    stdout: { write: () => undefined },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    now: () => new Date("2026-01-01T00:00:00Z"),
    readFile: () => Buffer.from(""),
  };
  const code = await runCli(["drill", "plan", "--home-kubeconfig", "/nonexistent/home.yaml", ...argv], io);
  return { code, stderr };
}

describe("meridian drill plan flags", () => {
  it("needs exactly one of --region and --cluster", async () => {
    for (const argv of [[], ["--region", "eu-west", "--cluster", "c1"]]) {
      const run = await plan(...argv);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("give exactly one of --region and --cluster");
    }
  });

  it("names a bad identity, a bad duration and a bad region", async () => {
    expect((await plan("--region", "eu-west", "--identities", "payments,Bad_Name")).stderr).toContain('--identities: "Bad_Name" is not an identity');
    expect((await plan("--region", "eu-west", "--duration", "soon")).stderr).toContain("--duration: Invalid duration");
    expect((await plan("--region", "EU WEST")).stderr).toContain('--region "EU WEST"');
  });

  it("gets to reading the home kubeconfig once the flags are right", async () => {
    const run = await plan("--cluster", "c1", "--identities", "payments", "--duration", "5m");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("cannot read kubeconfig /nonexistent/home.yaml");
  });
});
