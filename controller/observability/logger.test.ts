import { describe, expect, it } from "vitest";

import { REDACTED, clusterLogger, createLogger, reconcileLogger } from "./logger.js";

function capture(level: Parameters<typeof createLogger>[0]["level"] = "trace") {
  const lines: string[] = [];
  const log = createLogger({ level }, { write: (line: string) => void lines.push(line) });
  return { log, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2ln";

describe("createLogger", () => {
  it("writes JSON lines with the level, an ISO time and the logger's name", () => {
    const { log, records } = capture();
    log.info({ cluster: "eu-west" }, "Applied ServiceEntry");
    expect(records()[0]).toMatchObject({ level: 30, name: "meridian-controller", cluster: "eu-west", msg: "Applied ServiceEntry" });
    expect(records()[0]?.["time"]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("honours the level", () => {
    const { log, lines } = capture("warn");
    log.info("Ignored");
    log.warn("Kept");
    expect(lines).toHaveLength(1);
    const silent = capture("silent");
    silent.log.fatal("Nothing");
    expect(silent.lines).toHaveLength(0);
  });

  it("never writes a token, password, kubeconfig or authorization header", () => {
    const { log, lines } = capture();
    log.info({ token: TOKEN }, "Top level");
    log.info({ user: { name: "meridian", token: TOKEN, keyData: TOKEN } }, "One level down");
    log.info({ credentials: { kubeconfig: `users:\n- user:\n    token: ${TOKEN}\n` } }, "Kubeconfig");
    log.info({ redis: { password: TOKEN } }, "Password");
    log.info({ req: { method: "GET", headers: { authorization: `Bearer ${TOKEN}` } } }, "Request");
    log.info({ secret: { metadata: { name: "meridian-member-eu" }, data: { token: TOKEN } } }, "Secret");
    clusterLogger(log, "eu").warn({ bearerToken: TOKEN }, "Child");
    const output = lines.join("");
    expect(output).not.toContain(TOKEN);
    expect(output.split(REDACTED).length - 1).toBe(8);
    expect(output).toContain("meridian-member-eu");
  });

  it("keeps the credentials of a failed Redis AUTH out of a logged error", () => {
    const { log, lines } = capture();
    const err = Object.assign(new Error("WRONGPASS invalid username-password pair"), { name: "ReplyError", command: { name: "auth", args: ["default", TOKEN] } });
    log.error({ err }, "Could not connect to Redis");
    const output = lines.join("");
    expect(output).not.toContain(TOKEN);
    expect(output).toContain("WRONGPASS");
    expect(output).toContain('"name":"auth"');
  });

  it("serializes errors under err with their message and stack", () => {
    const { log, records } = capture();
    log.error({ err: new TypeError("boom") }, "Failed");
    expect(records()[0]?.["err"]).toMatchObject({ type: "TypeError", message: "boom" });
  });
});

describe("child loggers", () => {
  it("carry the cluster, identity and reconcile id", () => {
    const { log, records } = capture();
    reconcileLogger(log, { cluster: "eu-west", identity: "payments", reconcileId: "42:1" }).info({ kind: "ServiceEntry", name: "se-1" }, "Applied ServiceEntry");
    clusterLogger(log, "us-east").info("Synced cluster");
    expect(records()).toEqual([
      expect.objectContaining({ cluster: "eu-west", identity: "payments", reconcileId: "42:1", kind: "ServiceEntry", name: "se-1" }),
      expect.objectContaining({ cluster: "us-east", msg: "Synced cluster" }),
    ]);
  });
});
