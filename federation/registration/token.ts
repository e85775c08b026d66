// ServiceAccount tokens from the TokenRequest API: how long to ask for, and whether a stored one can
// be reused (so that running `register` again with the same flags changes nothing). Decoding reads
// the JWT's claims only; the API server remains the judge of whether the token is valid.

import { SERVICE_ACCOUNT_USER } from "./names.js";

/** Asked for: one year. The API server may grant less (--service-account-max-token-expiration). */
export const TOKEN_LIFETIME_SECONDS = 365 * 24 * 3600;
/** A stored token is reused while it has at least this much left (or half its lifetime, if shorter). */
export const REUSE_MIN_REMAINING_MS = 30 * 24 * 3600 * 1000;
/** A granted lifetime under this is reported: the token will need renewing soon. */
export const SHORT_LIFETIME_MS = 7 * 24 * 3600 * 1000;

export interface TokenClaims {
  sub?: string;
  /** Seconds since the epoch. */
  exp?: number;
  iat?: number;
}

/** The claims of a JWT, or undefined when `token` is not one. */
export function tokenClaims(token: string): TokenClaims | undefined {
  const parts = token.split(".");
  const payload = parts[1];
  if (parts.length !== 3 || payload === undefined) {
    return undefined;
  }
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    return typeof claims === "object" && claims !== null ? pickClaims(claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function pickClaims(claims: Record<string, unknown>): TokenClaims {
  const out: TokenClaims = {};
  if (typeof claims["sub"] === "string") out.sub = claims["sub"];
  if (typeof claims["exp"] === "number") out.exp = claims["exp"];
  if (typeof claims["iat"] === "number") out.iat = claims["iat"];
  return out;
}

export type ReuseVerdict = { reuse: true; expires: string } | { reuse: false; why: string };

/** Whether a stored token is Meridian's ServiceAccount's and far enough from expiry to keep. */
export function reuseVerdict(token: string | undefined, now: Date): ReuseVerdict {
  const claims = token === undefined ? undefined : tokenClaims(token);
  if (claims === undefined) {
    return { reuse: false, why: "no stored ServiceAccount token" };
  }
  if (claims.sub !== SERVICE_ACCOUNT_USER) {
    return { reuse: false, why: "the stored token is not Meridian's ServiceAccount's" };
  }
  if (claims.exp === undefined) {
    return { reuse: false, why: "the stored token has no expiry" };
  }
  const expiresMs = claims.exp * 1000;
  const lifetimeMs = claims.iat === undefined ? Number.POSITIVE_INFINITY : expiresMs - claims.iat * 1000;
  const needed = Math.min(REUSE_MIN_REMAINING_MS, lifetimeMs / 2);
  if (expiresMs - now.getTime() < needed) {
    return { reuse: false, why: "the stored token expires soon" };
  }
  return { reuse: true, expires: rfc3339(new Date(expiresMs)) };
}

/** A warning when the API server granted much less than asked, else undefined. */
export function shortLifetimeWarning(expires: Date, now: Date): string | undefined {
  const left = expires.getTime() - now.getTime();
  if (left >= SHORT_LIFETIME_MS) {
    return undefined;
  }
  const hours = Math.max(0, Math.round(left / 3_600_000));
  return `the API server granted the token for only ${hours}h (until ${rfc3339(expires)}): run register again before then to renew it`;
}

export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
