// Reads what BullMQ depends on from a connected Redis and judges it (bullmq-requirements.ts).
// Managed Redis services often forbid CONFIG (renamed command, or an ACL without @admin); then the
// policy comes from INFO memory's maxmemory_policy, which any client may read.

import type { Redis } from "ioredis";

import { infoField, judgeRedis } from "./bullmq-requirements.js";
import type { RedisFacts, RedisJudgement } from "./bullmq-requirements.js";

export interface RedisCheck extends RedisFacts, RedisJudgement {
  /** Where the policy was read: CONFIG GET, INFO memory, or nowhere. */
  readonly policySource: "config" | "info" | "unknown";
}

/** An error reply from the server (ioredis's ReplyError), as opposed to a connection failure. */
function isReplyError(err: unknown): boolean {
  return err instanceof Error && err.name === "ReplyError";
}

async function policyFromConfig(client: Redis): Promise<string | undefined> {
  try {
    const reply = (await client.config("GET", "maxmemory-policy")) as unknown;
    return Array.isArray(reply) && typeof reply[1] === "string" ? reply[1] : undefined;
  } catch (err) {
    if (isReplyError(err)) return undefined; // NOPERM, or CONFIG renamed or disabled
    throw err;
  }
}

async function policyFromInfo(client: Redis): Promise<string | undefined> {
  try {
    return infoField(await client.info("memory"), "maxmemory_policy");
  } catch (err) {
    if (isReplyError(err)) return undefined;
    throw err;
  }
}

async function readPolicy(client: Redis): Promise<Pick<RedisCheck, "maxmemoryPolicy" | "policySource">> {
  const fromConfig = await policyFromConfig(client);
  if (fromConfig !== undefined) return { maxmemoryPolicy: fromConfig, policySource: "config" };
  const fromInfo = await policyFromInfo(client);
  return fromInfo === undefined ? { maxmemoryPolicy: undefined, policySource: "unknown" } : { maxmemoryPolicy: fromInfo, policySource: "info" };
}

/** Redis >= 5 (errors below), >= 6.2 (warns below), maxmemory-policy noeviction (errors otherwise). */
export async function checkRedisForBullMQ(client: Redis): Promise<RedisCheck> {
  const version = infoField(await client.info("server"), "redis_version") ?? "unknown";
  const policy = await readPolicy(client);
  return { version, ...policy, ...judgeRedis({ version, maxmemoryPolicy: policy.maxmemoryPolicy }) };
}
