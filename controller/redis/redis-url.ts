// Redis URLs as Meridian accepts them, and their printable form: a password never reaches a log
// line or an error message. ioredis reads `redis://[user][:password]@host[:port][/db]`, and
// `rediss://…` for TLS; nothing else (no sentinel or cluster URLs) is accepted here.

const SCHEMES = new Set(["redis:", "rediss:"]);

/** `url` with any password (in the user-info part or a `password=` parameter) replaced by `***`. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@?#:]*:)[^@/?#]*@/i, "$1***@").replace(/([?&]password=)[^&#]*/gi, "$1***");
}

/** Why `url` is not a Redis URL Meridian can use, or undefined when it is one. */
export function redisUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL (use redis://host:6379, redis://:password@host:6379/0 or rediss://host:6380 for TLS)";
  }
  if (!SCHEMES.has(parsed.protocol)) {
    return `has the scheme ${parsed.protocol.slice(0, -1)}: use redis:// or rediss:// (TLS)`;
  }
  if (parsed.hostname === "") {
    return "has no host (use e.g. redis://redis.meridian-system:6379)";
  }
  if (!/^\/?\d*$/.test(parsed.pathname)) {
    return `has the path ${parsed.pathname}: only a database number may follow the host, e.g. /0`;
  }
  return undefined;
}

/** Whether the URL asks for TLS. */
export function isTlsRedisUrl(url: string): boolean {
  return url.toLowerCase().startsWith("rediss://");
}
