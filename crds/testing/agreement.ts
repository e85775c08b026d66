// Test support shared by the agreement tests: the parser per plural, and error-list comparison.
import { expect } from "vitest";
import { parseFailoverDrill } from "../failover-drill.js";
import type { Plural } from "../group-version.js";
import { parseMeshCluster } from "../mesh-cluster.js";
import type { FieldError, ParseResult } from "../parse.js";
import { parseServiceDependency } from "../service-dependency.js";
import { parseTrafficPolicy } from "../traffic-policy.js";

export const PARSERS: Record<Plural, (obj: unknown) => ParseResult<unknown>> = {
  meshclusters: parseMeshCluster,
  servicedependencies: parseServiceDependency,
  trafficpolicies: parseTrafficPolicy,
  failoverdrills: parseFailoverDrill,
};

const byPath = (a: FieldError, b: FieldError): number => `${a.path} ${a.message}`.localeCompare(`${b.path} ${b.message}`);

/** The same errors, in any order: same field, same layer, same words. */
export function expectSameErrors(zodErrors: FieldError[], crdErrors: FieldError[]): void {
  expect([...zodErrors].sort(byPath)).toEqual([...crdErrors].sort(byPath));
}
