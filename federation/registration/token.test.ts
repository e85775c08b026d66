import { describe, expect, it } from "vitest";

import { reuseVerdict, shortLifetimeWarning, tokenClaims } from "./token.js";

const now = new Date("2026-06-01T00:00:00Z");
const seconds = (iso: string) => Date.parse(iso) / 1000;

function jwt(claims: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256" })}.${part(claims)}.signature`;
}

const sub = "system:serviceaccount:meridian-system:meridian";

describe("tokens", () => {
  it("reads the claims of a JWT, nothing of something else", () => {
    expect(tokenClaims(jwt({ sub, exp: 5, iat: 1, aud: ["x"] }))).toEqual({ sub, exp: 5, iat: 1 });
    expect(tokenClaims("opaque-static-token")).toBeUndefined();
    expect(tokenClaims("a.!!!.c")).toBeUndefined();
  });

  it("reuses Meridian's ServiceAccount token with more than 30 days left", () => {
    const token = jwt({ sub, iat: seconds("2026-01-01T00:00:00Z"), exp: seconds("2027-01-01T00:00:00Z") });
    expect(reuseVerdict(token, now)).toEqual({ reuse: true, expires: "2027-01-01T00:00:00Z" });
  });

  it("renews a token close to expiry, another subject's token, or none", () => {
    expect(reuseVerdict(jwt({ sub, iat: seconds("2025-06-15T00:00:00Z"), exp: seconds("2026-06-15T00:00:00Z") }), now)).toMatchObject({ reuse: false, why: "the stored token expires soon" });
    expect(reuseVerdict(jwt({ sub: "system:serviceaccount:x:y", exp: seconds("2027-01-01T00:00:00Z") }), now)).toMatchObject({ reuse: false });
    expect(reuseVerdict(jwt({ sub }), now)).toMatchObject({ reuse: false, why: "the stored token has no expiry" });
    expect(reuseVerdict(undefined, now)).toMatchObject({ reuse: false });
  });

  it("with short-lived tokens (a capped server), reuses while more than half the lifetime is left", () => {
    const iat = seconds("2026-05-31T20:00:00Z");
    expect(reuseVerdict(jwt({ sub, iat, exp: iat + 24 * 3600 }), now).reuse).toBe(true);
    expect(reuseVerdict(jwt({ sub, iat: iat - 12 * 3600, exp: iat + 6 * 3600 }), now).reuse).toBe(false);
  });

  it("warns when the server granted less than a week", () => {
    expect(shortLifetimeWarning(new Date("2026-06-01T01:00:00Z"), now)).toBe(
      "the API server granted the token for only 1h (until 2026-06-01T01:00:00Z): run register again before then to renew it",
    );
    expect(shortLifetimeWarning(new Date("2027-06-01T00:00:00Z"), now)).toBeUndefined();
  });
});
