// What BullMQ needs from Redis, as a pure judgement of facts read from the server (check-redis.ts
// reads them). BullMQ refuses Redis < 5, recommends >= 6.2, and loses jobs silently when Redis
// evicts keys, so any maxmemory-policy other than noeviction is an error here, not a warning.

export interface RedisFacts {
  /** `redis_version` from INFO server, e.g. "7.0.15". */
  readonly version: string;
  /** Undefined when neither CONFIG GET nor INFO memory told it. */
  readonly maxmemoryPolicy: string | undefined;
}

export interface RedisJudgement {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

export const REQUIRED_VERSION = [5, 0] as const;
export const RECOMMENDED_VERSION = [6, 2] as const;

export const NOEVICTION_FIX =
  "run CONFIG SET maxmemory-policy noeviction (then CONFIG REWRITE to keep it across restarts), or put the line `maxmemory-policy noeviction` in redis.conf; on a managed Redis set its maxmemory-policy parameter to noeviction";

/** A field of an INFO reply (`field:value` lines), or undefined. */
export function infoField(info: string, field: string): string | undefined {
  for (const line of info.split(/\r?\n/)) {
    if (line.startsWith(`${field}:`)) return line.slice(field.length + 1).trim();
  }
  return undefined;
}

/** Major and minor of a version such as "7.0.15"; [0, 0] when unreadable. */
export function majorMinor(version: string): readonly [number, number] {
  const [major, minor] = version.split(".").map((part) => Number.parseInt(part, 10));
  return [Number.isFinite(major) ? (major ?? 0) : 0, Number.isFinite(minor) ? (minor ?? 0) : 0];
}

function atLeast(version: string, wanted: readonly [number, number]): boolean {
  const [major, minor] = majorMinor(version);
  return major > wanted[0] || (major === wanted[0] && minor >= wanted[1]);
}

function versionProblems(version: string): RedisJudgement {
  if (!atLeast(version, REQUIRED_VERSION)) {
    return { errors: [`Redis ${version} is too old: BullMQ needs Redis 5.0 or newer (6.2 or newer recommended)`], warnings: [] };
  }
  if (!atLeast(version, RECOMMENDED_VERSION)) {
    return { errors: [], warnings: [`Redis ${version} is older than 6.2, BullMQ's recommended minimum: upgrade when you can`] };
  }
  return { errors: [], warnings: [] };
}

function policyProblems(policy: string | undefined): RedisJudgement {
  if (policy === undefined) {
    return { errors: [], warnings: ["Could not read Redis's maxmemory-policy (CONFIG GET and INFO memory were refused): make sure it is noeviction, or queued jobs can be evicted"] };
  }
  if (policy !== "noeviction") {
    return { errors: [`its maxmemory-policy is ${policy}, so under memory pressure Redis would silently delete queued jobs: ${NOEVICTION_FIX}`], warnings: [] };
  }
  return { errors: [], warnings: [] };
}

export function judgeRedis(facts: RedisFacts): RedisJudgement {
  const version = versionProblems(facts.version);
  const policy = policyProblems(facts.maxmemoryPolicy);
  return { errors: [...version.errors, ...policy.errors], warnings: [...version.warnings, ...policy.warnings] };
}
