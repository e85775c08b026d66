import { describe, expect, it } from "vitest";

import { isRedisConnectionError } from "./redis-errors.js";

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("isRedisConnectionError", () => {
  it("a refused, reset or timed-out connection, retries used up, a closed connection: yes", () => {
    expect(isRedisConnectionError(withCode("connect ECONNREFUSED 127.0.0.1:6379", "ECONNREFUSED"))).toBe(true);
    expect(isRedisConnectionError(withCode("read ECONNRESET", "ECONNRESET"))).toBe(true);
    expect(isRedisConnectionError(withCode("connect ETIMEDOUT", "ETIMEDOUT"))).toBe(true);
    expect(isRedisConnectionError(Object.assign(new Error("Reached the max retries per request limit (which is 20)."), { name: "MaxRetriesPerRequestError" }))).toBe(true);
    expect(isRedisConnectionError(new Error("Connection is closed."))).toBe(true);
  });

  it("anything else (a script error, OOM, a wrong type, not an Error): no", () => {
    expect(isRedisConnectionError(new Error("ERR Error running script"))).toBe(false);
    expect(isRedisConnectionError(withCode("OOM command not allowed", "OOM"))).toBe(false);
    expect(isRedisConnectionError(new Error("WRONGTYPE Operation against a key holding the wrong kind of value"))).toBe(false);
    expect(isRedisConnectionError("ECONNREFUSED")).toBe(false);
  });
});
