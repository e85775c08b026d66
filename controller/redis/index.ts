export { connectRedis } from "./connect-redis.js";
export type { ConnectRedisOptions, RedisConnections } from "./connect-redis.js";
export { checkRedisForBullMQ } from "./check-redis.js";
export type { RedisCheck } from "./check-redis.js";
export { NOEVICTION_FIX } from "./bullmq-requirements.js";
export { LocalRedisError, RedisConnectError, RedisUnsuitableError } from "./redis-errors.js";
export { redactRedisUrl } from "./redis-url.js";
