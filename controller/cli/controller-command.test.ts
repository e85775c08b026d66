// `meridian controller` refuses bad settings before it starts anything: exit code 2, one line per
// problem naming the setting both ways. (Running it for real is e2e/controller.e2e.test.ts.)
import { describe, expect, it } from "vitest";

import type { CliIo } from "./cli-io.js";
import { runCli } from "./run.js";

async function controller(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string; stdout: string; logged: string }> {
  let stdout = "";
  let stderr = "";
  let logged = "";
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    now: () => new Date("2026-01-01T00:00:00Z"),
    readFile: () => Buffer.from(""),
    controller: { env, searchPath: [], holder: "test-1", stop: AbortSignal.abort(), logDestination: { write: (line: string) => (logged += line) } },
  };
  const code = await runCli(["controller", ...argv], io);
  return { code, stdout, stderr, logged };
}

describe("meridian controller settings", () => {
  it("stops with exit code 2 naming a bad flag", async () => {
    const run = await controller(["--resync-interval", "5x"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --resync-interval \/ MERIDIAN_RESYNC_INTERVAL: /m);
    expect(run.stderr).toContain("did not start");
  });

  it("names a bad environment variable, and every bad setting at once", async () => {
    const run = await controller([], { MERIDIAN_WRITE_RATE: "fast", MERIDIAN_LOG_LEVEL: "loud" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--write-rate / MERIDIAN_WRITE_RATE");
    expect(run.stderr).toContain("--log-level / MERIDIAN_LOG_LEVEL");
  });

  it("stops with exit code 2 when the home kubeconfig cannot be read", async () => {
    const run = await controller(["--kubeconfig", "/nonexistent/home.yaml", "--log-level", "silent"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read kubeconfig \/nonexistent\/home\.yaml \(ENOENT\)/);
  });

  it("prints only the one line for an unreadable home kubeconfig: no log line, no stack", async () => {
    const run = await controller(["--kubeconfig", "/nonexistent/home.yaml"]);
    expect(run.code).toBe(2);
    expect(run.logged).toBe("");
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("error: --kubeconfig / KUBECONFIG: cannot read kubeconfig /nonexistent/home.yaml (ENOENT)\nThe controller did not start.\n");
  });

  it("lists every setting with its environment variable in --help", async () => {
    const run = await controller(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--redis-url <url>");
    expect(run.stdout).toContain("env REDIS_URL");
    expect(run.stdout).toContain("--resync-interval <duration>");
  });
});
