// The proof that the zod schemas and the CRDs agree: every fixture goes through (a) zod and (b) the
// CRD itself — ajv on its openAPIV3Schema plus every x-kubernetes-validations rule evaluated with a
// CEL interpreter — and both must give the same verdict, at the same field, from the same layer.
import { describe, expect, it } from "vitest";
import { loadCrd, loadFixtures } from "./fixtures/index.js";
import type { FixtureCase, InvalidCase, ValidCase } from "./fixtures/index.js";
import { PLURALS } from "./group-version.js";
import type { FieldError } from "./parse.js";
import { PARSERS, expectSameErrors } from "./testing/agreement.js";
import { crdValidator, openApiSchema } from "./testing/crd-validator.js";
import { celRules } from "./testing/schema-walk.js";

const isValid = (c: FixtureCase): c is ValidCase => c.valid;
const isInvalid = (c: FixtureCase): c is InvalidCase => !c.valid;

function expectRejection(errors: FieldError[], c: InvalidCase, who: string): void {
  const summary = JSON.stringify(errors, null, 1);
  expect(errors.length, `${who} accepted ${c.name}`).toBeGreaterThan(0);
  expect(new Set(errors.map((e) => e.layer)), `${who} layers for ${c.name}: ${summary}`).toEqual(new Set([c.rejectedBy]));
  const named = errors.filter((e) => e.path === c.field);
  expect(named.length, `${who} named no error at ${c.field}: ${summary}`).toBeGreaterThan(0);
  expect(
    named.some((e) => e.message.includes(c.message)),
    `${who} message at ${c.field} lacks "${c.message}": ${summary}`,
  ).toBe(true);
}

describe.each(PLURALS)("%s: zod and the CRD agree", (plural) => {
  const crd = loadCrd(plural);
  const validate = crdValidator(crd);
  const parse = PARSERS[plural];
  const cases = loadFixtures(plural);

  it("has at least 5 valid and 8 invalid cases", () => {
    expect(cases.filter(isValid).length).toBeGreaterThanOrEqual(5);
    expect(cases.filter(isInvalid).length).toBeGreaterThanOrEqual(8);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.filter(isValid))("both accept $name, with the same defaults", (c) => {
    const verdict = validate(c.object);
    expect(verdict.errors).toEqual([]);
    const parsed = parse(c.object);
    expect(parsed).toEqual({ ok: true, value: verdict.object });
  });

  it.each(cases.filter(isInvalid))("both reject $name at $field ($rejectedBy)", (c) => {
    const crdErrors = validate(c.object).errors;
    expectRejection(crdErrors, c, "CRD");
    const parsed = parse(c.object);
    const zodErrors = parsed.ok ? [] : parsed.errors;
    expectRejection(zodErrors, c, "zod");
    expectSameErrors(zodErrors, crdErrors);
  });

  it("has an invalid case for every CEL rule, whose message zod uses word for word", () => {
    const celMessages = celRules(openApiSchema(crd)).map(({ rule }) => rule.message);
    const covered = new Set(cases.filter(isInvalid).filter((c) => c.rejectedBy === "cel").map((c) => c.message));
    for (const message of celMessages) expect(covered, `no fixture for CEL rule "${String(message)}"`).toContain(message);
  });

  it("never mutates the fixture object", () => {
    for (const c of cases) {
      const before = structuredClone(c.object);
      validate(c.object);
      parse(c.object);
      expect(c.object).toEqual(before);
    }
  });
});
