import { describe, expect, it } from "vitest";

import { NOEVICTION_FIX, infoField, judgeRedis, majorMinor } from "./bullmq-requirements.js";

describe("judgeRedis", () => {
  it("accepts Redis >= 6.2 with noeviction", () => {
    expect(judgeRedis({ version: "7.0.15", maxmemoryPolicy: "noeviction" })).toEqual({ errors: [], warnings: [] });
    expect(judgeRedis({ version: "6.2.0", maxmemoryPolicy: "noeviction" })).toEqual({ errors: [], warnings: [] });
  });

  it("refuses Redis below 5", () => {
    expect(judgeRedis({ version: "4.0.14", maxmemoryPolicy: "noeviction" }).errors).toEqual([
      "Redis 4.0.14 is too old: BullMQ needs Redis 5.0 or newer (6.2 or newer recommended)",
    ]);
    expect(judgeRedis({ version: "unknown", maxmemoryPolicy: "noeviction" }).errors).toHaveLength(1);
  });

  it("warns below 6.2", () => {
    expect(judgeRedis({ version: "6.0.16", maxmemoryPolicy: "noeviction" })).toEqual({
      errors: [],
      warnings: ["Redis 6.0.16 is older than 6.2, BullMQ's recommended minimum: upgrade when you can"],
    });
  });

  it("refuses any eviction policy but noeviction, with the fix", () => {
    const { errors } = judgeRedis({ version: "7.2.4", maxmemoryPolicy: "allkeys-lru" });
    expect(errors).toEqual([`its maxmemory-policy is allkeys-lru, so under memory pressure Redis would silently delete queued jobs: ${NOEVICTION_FIX}`]);
    expect(errors[0]).toContain("CONFIG SET maxmemory-policy noeviction");
    expect(errors[0]).toContain("maxmemory-policy noeviction` in redis.conf");
  });

  it("warns when the policy cannot be read", () => {
    expect(judgeRedis({ version: "7.2.4", maxmemoryPolicy: undefined }).warnings[0]).toMatch(/^Could not read Redis's maxmemory-policy/);
  });

  it("reports every problem at once", () => {
    expect(judgeRedis({ version: "3.2.1", maxmemoryPolicy: "volatile-lru" }).errors).toHaveLength(2);
  });
});

describe("INFO parsing", () => {
  const info = "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n# Memory\r\nmaxmemory_policy:noeviction\r\n";

  it("reads fields", () => {
    expect(infoField(info, "redis_version")).toBe("7.0.15");
    expect(infoField(info, "maxmemory_policy")).toBe("noeviction");
    expect(infoField(info, "redis")).toBeUndefined();
  });

  it("reads major and minor", () => {
    expect(majorMinor("7.0.15")).toEqual([7, 0]);
    expect(majorMinor("6.2")).toEqual([6, 2]);
    expect(majorMinor("garbage")).toEqual([0, 0]);
  });
});
