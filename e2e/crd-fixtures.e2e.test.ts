// Every crds/fixtures/<plural>.yaml case against the real API server (server-side dry run):
// valid cases are accepted, invalid ones rejected with the case's message in the error.
import type { KubernetesObject } from "@kubernetes/client-node";
import { beforeAll, describe, expect, test } from "vitest";
import { loadFixtures, type FixtureCase } from "../crds/fixtures/index.js";
import { PLURALS, RESOURCES, kindOf, type Plural } from "../crds/group-version.js";
import { createIfAbsent } from "./harness/install-crds.js";
import { errorTextOf, firstControlPlane } from "./support/clusters.js";

const NAMESPACE = "e2e-fixtures";
const DRY_RUN = "All";

/** Namespaced kinds' fixtures carry no namespace: they go into a namespace of this test's own. */
function inScope(plural: Plural, object: FixtureCase["object"]): KubernetesObject {
  const namespaced = RESOURCES[kindOf(plural)].namespaced;
  return (namespaced ? { ...object, metadata: { ...object.metadata, namespace: NAMESPACE } } : object) as KubernetesObject;
}

const byPlural = PLURALS.map((plural) => [plural, loadFixtures(plural)] as const);

describe("Meridian CRD fixtures against the API server", () => {
  const { objects } = firstControlPlane();

  beforeAll(async () => {
    await createIfAbsent(objects, { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
  });

  describe.each(byPlural)("%s", (plural, cases) => {
    const valid = cases.flatMap((fixture) => (fixture.valid ? [[fixture.name, fixture] as const] : []));
    const invalid = cases.flatMap((fixture) => (fixture.valid ? [] : [[fixture.name, fixture] as const]));

    test("has valid and invalid cases", () => {
      expect(valid.length).toBeGreaterThan(0);
      expect(invalid.length).toBeGreaterThan(0);
    });

    test.each(valid)("accepts %s", async (_name, fixture) => {
      await objects.create(inScope(plural, fixture.object), undefined, DRY_RUN);
    });

    test.each(invalid)("rejects %s", async (_name, fixture) => {
      const error = await errorTextOf(objects.create(inScope(plural, fixture.object), undefined, DRY_RUN));
      expect(error).toContain(fixture.message);
    });
  });
});
