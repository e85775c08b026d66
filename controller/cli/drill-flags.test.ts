// `meridian drill plan|start|status|abort|report` refuse bad flags before they touch a cluster: exit
// 2 and one line naming the flag.
import { describe, expect, it } from "vitest";

import type { CliIo } from "./cli-io.js";
import { defaultDrillName } from "./drill-flags.js";
import { runCli } from "./run.js";

async function cli(...argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const io: CliIo = {
    stdout: { write: () => undefined },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    now: () => new Date("2026-01-01T00:00:00Z"),
    readFile: () => Buffer.from(""),
  };
  const code = await runCli([...argv, "--home-kubeconfig", "/nonexistent/home.yaml"], io);
  return { code, stderr };
}

describe("meridian drill plan flags", () => {
  it("needs exactly one of --region and --cluster", async () => {
    for (const argv of [[], ["--region", "eu-west", "--cluster", "c1"]]) {
      const run = await cli("drill", "plan", ...argv);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("give exactly one of --region and --cluster");
    }
  });

  it("names a bad identity, a bad duration and a bad region", async () => {
    expect((await cli("drill", "plan", "--region", "eu-west", "--identities", "payments,Bad_Name")).stderr).toContain('--identities: "Bad_Name" is not an identity');
    expect((await cli("drill", "plan", "--region", "eu-west", "--duration", "soon")).stderr).toContain("--duration: Invalid duration");
    expect((await cli("drill", "plan", "--region", "EU WEST")).stderr).toContain('--region "EU WEST"');
  });

  it("gets to reading the home kubeconfig once the flags are right", async () => {
    const run = await cli("drill", "plan", "--cluster", "c1", "--identities", "payments", "--duration", "5m");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("cannot read kubeconfig /nonexistent/home.yaml");
  });
});

describe("meridian drill start flags", () => {
  it("needs exactly one target and a duration the controller accepts", async () => {
    expect((await cli("drill", "start")).stderr).toContain("give exactly one of --region and --cluster");
    const short = await cli("drill", "start", "--region", "eu-west-1", "--duration", "500ms");
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("--duration 500ms must be from 1s to 24h");
    expect((await cli("drill", "start", "--region", "eu-west-1", "--duration", "25h")).stderr).toContain("--duration 25h must be from 1s to 24h");
  });

  it("names a bad drill name or namespace", async () => {
    expect((await cli("drill", "start", "--region", "eu-west-1", "--name", "Drill_1")).stderr).toContain('--name "Drill_1"');
    expect((await cli("drill", "start", "--region", "eu-west-1", "--namespace", "a/b")).stderr).toContain('--namespace "a/b"');
  });

  it("gets to reading the home kubeconfig once the flags are right", async () => {
    const run = await cli("drill", "start", "--cluster", "c1", "--identities", "b,a", "--duration", "90s", "--force", "--wait");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("cannot read kubeconfig /nonexistent/home.yaml");
  });

  it("status, abort and report need a valid NAME", async () => {
    for (const command of ["status", "abort", "report"]) {
      expect((await cli("drill", command)).code).toBe(2);
      const bad = await cli("drill", command, "Not A Name");
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('NAME "Not A Name"');
      expect((await cli("drill", command, "ok-name", "-o", "xml")).stderr).toContain("-o/--output must be one of table, json, yaml");
    }
  });

  it("names a drill after its target and the minute, within 63 characters", () => {
    const now = new Date("2026-12-04T17:20:45Z");
    expect(defaultDrillName({ region: "eu-west-1" }, now)).toBe("drill-region-eu-west-1-20261204-1720");
    const long = defaultDrillName({ cluster: "c".repeat(63) }, now);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^drill-cluster-c+-20261204-1720$/);
  });
});
