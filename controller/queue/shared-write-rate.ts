// The per-member write rate shared by every replica: one token bucket per member cluster, kept in
// Redis and taken atomically by a Lua script on Redis's own clock, so N replicas together write to a
// member at most `burst` at once and `perSecond` on average, not N times that. The bucket expires when
// idle long enough to be full again (nothing is lost: a missing bucket is a full one).
import type { Redis } from "ioredis";

import { writeRateKey } from "./queue-keys.js";

export interface WriteLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** Where a reconcile takes one write for a member: 0 to go now, else milliseconds to wait before asking again. */
export interface WriteRate {
  take(cluster: string): Promise<number>;
}

/** KEYS[1] the bucket; ARGV perSecond, burst. Returns the ms to wait (0: a token was taken). */
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 60000)
return wait
`;

export class SharedWriteRate implements WriteRate {
  constructor(
    private readonly redis: Redis,
    private readonly limit: WriteLimit,
  ) {}

  async take(cluster: string): Promise<number> {
    const wait = await this.redis.eval(TAKE, 1, writeRateKey(cluster), `${this.limit.perSecond}`, `${this.limit.burst}`);
    return Number(wait);
  }
}
