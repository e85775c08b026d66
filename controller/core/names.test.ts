import { describe, expect, it } from "vitest";
import { fnv1a32Hex } from "./hash.js";
import { destinationRuleName, globalHost, objectName, ownershipLabels, serviceEntryName } from "./names.js";

describe("names", () => {
  it("builds Admiral-compatible hosts and names", () => {
    const host = globalHost("payments", "prod", "global");
    expect(host).toBe("prod.payments.global");
    expect(serviceEntryName(host)).toBe("prod.payments.global-se");
    expect(destinationRuleName(host)).toBe("prod.payments.global-dr");
  });

  it("keeps names of 63 characters and hashes longer ones to exactly 63", () => {
    const fits = "a".repeat(63);
    expect(objectName(fits)).toBe(fits);
    const long = `${"b".repeat(60)}.global-se`;
    const name = objectName(long);
    expect(name).toHaveLength(63);
    expect(name).toBe(`${"b".repeat(54)}-${fnv1a32Hex(long)}`);
  });

  it("drops a trailing dot or dash before the hash", () => {
    const long = `${"c".repeat(53)}.-${"d".repeat(20)}`;
    const name = objectName(long);
    expect(name).toBe(`${"c".repeat(53)}-${fnv1a32Hex(long)}`);
    expect(name).not.toMatch(/[.-]-/);
  });

  it("labels objects with sorted ownership labels", () => {
    expect(Object.keys(ownershipLabels("payments", "prod"))).toEqual([
      "app.kubernetes.io/managed-by",
      "meridian.dev/env",
      "meridian.dev/identity",
    ]);
  });
});
