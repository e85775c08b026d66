// Errors named for what they mean. Messages carry the Redis URL without its password.

/** Redis could not be reached or refused the credentials. */
export class RedisConnectError extends Error {
  override readonly name = "RedisConnectError";
}

/** Redis answered, but BullMQ cannot use it safely (too old, or it evicts keys). */
export class RedisUnsuitableError extends Error {
  override readonly name = "RedisUnsuitableError";

  constructor(
    readonly displayUrl: string,
    readonly problems: readonly string[],
  ) {
    super(`Redis at ${displayUrl} cannot hold Meridian's work queues: ${problems.join("; ")}`);
  }
}

/** No Redis URL was given and a private local redis-server could not be started. */
export class LocalRedisError extends Error {
  override readonly name = "LocalRedisError";
}
