import { describe, expect, it } from "vitest";

import { RegistrationError } from "../../federation/registration/errors.js";
import { EXIT, UsageError, errorLine, exitCodeOf } from "./exit-codes.js";

describe("exit codes", () => {
  it.each([
    ["usage", 2],
    ["unreachable", 3],
    ["credentials", 4],
    ["permissions", 4],
    ["conflict", 5],
    ["not-found", 1],
    ["runtime", 1],
  ] as const)("%s → %i", (kind, code) => {
    expect(exitCodeOf(new RegistrationError(kind, "x"))).toBe(code);
  });

  it("anything unexpected is a runtime failure; usage errors are 2", () => {
    expect(exitCodeOf(new Error("boom"))).toBe(EXIT.runtime);
    expect(exitCodeOf(new UsageError("bad flag"))).toBe(EXIT.usage);
  });

  it("prints only the first line of a message (never a body or stack that may follow)", () => {
    expect(errorLine(new Error("HTTP-Code: 500\nBody: {\"token\":\"x\"}"))).toBe("error: HTTP-Code: 500");
    expect(errorLine("plain")).toBe("error: plain");
  });
});
