import { describe, expect, it } from "vitest";

import { isTlsRedisUrl, redactRedisUrl, redisUrlProblem } from "./redis-url.js";

describe("redactRedisUrl", () => {
  it.each([
    ["redis://:hunter2@redis:6379", "redis://:***@redis:6379"],
    ["rediss://default:hunter2@redis.example.com:6380/2", "rediss://default:***@redis.example.com:6380/2"],
    ["redis://user:p%40ss@redis", "redis://user:***@redis"],
    ["redis://redis:6379?password=hunter2&db=1", "redis://redis:6379?password=***&db=1"],
    ["redis://user@redis:6379", "redis://user@redis:6379"],
    ["redis://redis:6379/0", "redis://redis:6379/0"],
  ])("%s → %s", (url, shown) => {
    expect(redactRedisUrl(url)).toBe(shown);
  });
});

describe("redisUrlProblem", () => {
  it("accepts redis:// and rediss:// with credentials and a database number", () => {
    for (const url of ["redis://127.0.0.1:6379", "redis://:pw@redis", "rediss://default:pw@redis:6380/3", "redis://[::1]:6379/"]) {
      expect(redisUrlProblem(url), url).toBeUndefined();
    }
  });

  it("names what is wrong", () => {
    expect(redisUrlProblem("redis-host:6379")).toBe("has the scheme redis-host: use redis:// or rediss:// (TLS)");
    expect(redisUrlProblem("localhost")).toMatch(/^is not a URL/);
    expect(redisUrlProblem("redis+sentinel://s:26379")).toBe("has the scheme redis+sentinel: use redis:// or rediss:// (TLS)");
    expect(redisUrlProblem("redis://")).toBe("has no host (use e.g. redis://redis.meridian-system:6379)");
  });

  it("tells TLS URLs", () => {
    expect(isTlsRedisUrl("rediss://r")).toBe(true);
    expect(isTlsRedisUrl("REDISS://r")).toBe(true);
    expect(isTlsRedisUrl("redis://r")).toBe(false);
  });
});
