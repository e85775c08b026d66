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

/** Error codes of a connection to Redis that failed or broke (the client reconnects by itself). */
const CONNECTION_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/**
 * Whether an error only says that Redis cannot be reached right now (refused, reset, timed out, the
 * client's retries per request used up, the connection closed): the shared connection logs the
 * loss once and /readyz reports it, so callers need not log each one as a warning.
 */
export function isRedisConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && CONNECTION_ERROR_CODES.has(code)) return true;
  return err.name === "MaxRetriesPerRequestError" || /^Connection is closed\.?$/.test(err.message);
}
