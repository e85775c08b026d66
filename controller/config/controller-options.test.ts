import { Command } from "commander";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

import { controllerOptions } from "./controller-options.js";
import { loadControllerConfig } from "./load-controller-config.js";
import { SETTING_KEYS } from "./settings.js";
import { settingsTable } from "./settings-table.js";

function parse(argv: string[]): Record<string, unknown> {
  let seen: Record<string, unknown> = {};
  const command = controllerOptions(new Command("controller").exitOverride().configureOutput({ writeErr: () => undefined }));
  command.action((options: Record<string, unknown>) => {
    seen = options;
  });
  command.parse(argv, { from: "user" });
  return seen;
}

describe("controllerOptions", () => {
  it("registers one flag per setting, read under the setting's key", () => {
    const command = controllerOptions(new Command("controller"));
    expect(command.options.map((option) => option.attributeName()).sort()).toEqual([...SETTING_KEYS].sort());
  });

  it("sets no commander defaults, so unset flags fall through to the environment", () => {
    expect(parse([])).toEqual({});
    const result = loadControllerConfig(parse(["--redis-url", "redis://r:6379", "--resync-interval", "10m"]), { MERIDIAN_RESYNC_INTERVAL: "1m", MERIDIAN_LOG_LEVEL: "warn" });
    expect(result.ok && result.config.resyncIntervalMs).toBe(600_000);
    expect(result.ok && result.config.logLevel).toBe("warn");
    expect(result.ok && result.config.redis.url).toBe("redis://r:6379");
  });

  it("names the variable and the default in the help", () => {
    const help = controllerOptions(new Command("controller")).helpInformation().replace(/\s+/g, " ");
    expect(help).toContain("--resync-interval <duration>");
    expect(help).toContain("(env MERIDIAN_RESYNC_INTERVAL; default: 3m)");
    expect(help).toContain("(env REDIS_URL; default: a private local redis-server");
  });
});

describe("the settings table", () => {
  it("is current in controller/config/README.md", () => {
    const readme = readFileSync(new URL("./README.md", import.meta.url), "utf8");
    expect(readme).toContain(settingsTable());
  });
});
