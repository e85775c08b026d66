// Where the tests' and the demo's Redis comes from without REDIS_URL: testcontainers first when a
// container runtime answers, else the local redis-server (the path CI takes on machines without one).
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";

import { readHarnessConfig } from "./harness/harness-config.js";
import { containerRuntime, startRedis } from "./harness/redis-server.js";

describe("startRedis without REDIS_URL", () => {
  it("uses testcontainers when a container runtime answers, else a local redis-server, and the Redis serves", async () => {
    const env = { ...process.env };
    delete env["REDIS_URL"];
    const runtime = await containerRuntime();
    const redis = await startRedis(readHarnessConfig(env));
    try {
      expect(redis.source).toBe(runtime.available ? "testcontainers" : "redis-server");
      if (!runtime.available) {
        expect(runtime.reason).toContain("container runtime");
        expect(redis.pid).toBeGreaterThan(0);
      }
      const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      expect(await client.ping()).toBe("PONG");
      expect(await client.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "noeviction"]);
      client.disconnect();
    } finally {
      await redis.stop();
    }
  });
});
