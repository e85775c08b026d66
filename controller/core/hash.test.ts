import { describe, expect, it } from "vitest";
import { fnv1a32Hex } from "./hash.js";

describe("fnv1a32Hex", () => {
  it.each([
    ["", "811c9dc5"],
    ["a", "e40c292c"],
    ["foobar", "bf9cf968"],
    ["é", "1e9de8c1"],
  ])("hashes %j to the published FNV-1a value", (text, hex) => {
    expect(fnv1a32Hex(text)).toBe(hex);
  });

  it("always gives 8 hex digits", () => {
    for (let i = 0; i < 200; i++) expect(fnv1a32Hex(`name-${i}`)).toMatch(/^[0-9a-f]{8}$/);
  });
});
