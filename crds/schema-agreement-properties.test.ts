// Beyond the fixtures: random objects built from near-miss values (bad names, out-of-range numbers,
// wrong types, nulls, duplicates, missing keys) must get the same verdict from zod and from the CRD
// (ajv + list types + CEL), the same defaults when accepted and the same errors when rejected.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCrd } from "./fixtures/index.js";
import { API_VERSION } from "./group-version.js";
import type { Kind, Plural } from "./group-version.js";
import type { FieldError } from "./parse.js";
import { PARSERS, expectSameErrors } from "./testing/agreement.js";
import { crdValidator } from "./testing/crd-validator.js";

const RUNS = Number(process.env["CRD_PROPERTY_RUNS"] ?? 400);

const hasTypeError = (errors: FieldError[]): boolean => errors.some((e) => e.message.startsWith("must be of type"));

/** A value, or (rarely) null or a value of the wrong type. */
function near<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null | number | string | boolean> {
  return fc.oneof({ weight: 30, arbitrary: arb }, fc.constant(null), fc.constant(7), fc.constant("7"), fc.constant(true));
}

/** Mostly good values, sometimes one that breaks a rule. */
function mostly<T>(good: readonly T[], bad: readonly T[]): fc.Arbitrary<T> {
  return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...bad) });
}

const label = mostly(["us-east-1", "us-west-2", "a", "0", "x".repeat(63)], ["", "US", "a-", "a.b", "*", "ü", "x".repeat(64)]);
const labels = fc.array(near(label), { maxLength: 4 });
const int = mostly([0, 1, 30, 50, 70, 100, 15443, 65535], [-1, 101, 65536, 1.5]);
const duration = mostly(["15m", "1h30m", "500ms", "90s", "0s", "1h2m3s4ms"], ["", "1d", "30m1h", "ms", "10 s"]);
const bool = fc.boolean();

/** An object whose fields may be missing, `usually` ones rarely. */
function object<T extends Record<string, fc.Arbitrary<unknown>>>(fields: T, usually: Extract<keyof T, string>[] = []) {
  const all = fc.record(fields, { requiredKeys: usually });
  return fc.oneof({ weight: 9, arbitrary: all }, { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) });
}

const meshClusterSpec = object(
  {
    region: near(label),
    zone: near(label),
    network: near(mostly(["net-1", "net_2.a"], ["", "-net", "n".repeat(64)])),
    kubeconfigSecretRef: near(
      object(
        { name: near(mostly(["kc", "kc.east"], ["KC", ""])), namespace: near(label), key: near(mostly(["kubeconfig", "a.b_c"], ["a/b"])) },
        ["name"],
      ),
    ),
    gateway: near(
      fc.oneof(
        object({ address: near(mostly(["10.0.0.1", "fd00::1", "gw.example.com"], ["", "a b"])), port: near(int) }),
        object({ serviceRef: near(object({ namespace: near(label), name: near(label) }, ["namespace", "name"])), port: near(int) }),
        object({ address: near(label), serviceRef: near(object({ namespace: near(label), name: near(label) })) }),
      ),
    ),
    discovery: near(
      fc.oneof(
        object({ namespaces: near(labels) }),
        object({ namespaceSelector: near(object({ matchLabels: near(fc.dictionary(fc.constantFrom("a", "b"), mostly(["x"], ["y".repeat(64)]))) })) }),
        object({ namespaces: near(labels), namespaceSelector: near(object({})) }),
      ),
    ),
  },
  ["region", "kubeconfigSecretRef"],
);

const destination = object({ identity: near(mostly(["payments", "inventory", "*"], ["", "Pay"])), env: near(mostly(["prod", "dev"], ["PROD"])) }, ["identity"]);
const serviceDependencySpec = object(
  {
    source: near(object({ identity: near(label), env: near(label) }, ["identity"])),
    destinations: near(fc.array(near(destination), { maxLength: 4 })),
  },
  ["source", "destinations"],
);

const weight = object({ region: near(label), weight: near(int) }, ["region", "weight"]);
const goodWeights = fc.constantFrom([{ region: "a", weight: 100 }], [{ region: "a", weight: 70 }, { region: "b", weight: 30 }]);
const trafficPolicySpec = object(
  {
    identity: near(label),
    env: near(label),
    mode: near(mostly(["Topology", "Failover", "Weighted"], ["Random"])),
    regions: near(labels),
    weights: near(fc.oneof(goodWeights, fc.array(near(weight), { maxLength: 3 }))),
    outlierDetection: near(
      object({ consecutive5xxErrors: near(int), interval: near(duration), baseEjectionTime: near(duration), maxEjectionPercent: near(int) }),
    ),
  },
  ["identity"],
);

const failoverDrillSpec = object(
  {
    target: near(fc.oneof(object({ region: near(label) }, ["region"]), object({ cluster: near(label) }, ["cluster"]), object({ region: near(label), cluster: near(label) }))),
    identities: near(labels),
    duration: near(duration),
    planOnly: near(bool),
    force: near(bool),
  },
  ["target"],
);

const SPECS: Record<Plural, { kind: Kind; spec: fc.Arbitrary<unknown> }> = {
  meshclusters: { kind: "MeshCluster", spec: meshClusterSpec },
  servicedependencies: { kind: "ServiceDependency", spec: serviceDependencySpec },
  trafficpolicies: { kind: "TrafficPolicy", spec: trafficPolicySpec },
  failoverdrills: { kind: "FailoverDrill", spec: failoverDrillSpec },
};

describe.each(Object.keys(SPECS) as Plural[])("%s: random objects", (plural) => {
  const validate = crdValidator(loadCrd(plural));
  const parse = PARSERS[plural];
  const { kind, spec } = SPECS[plural];

  it("get the same verdict, defaults and errors from zod and from the CRD", () => {
    const objects = spec.map((s) => ({ apiVersion: API_VERSION, kind, metadata: { name: "c1" }, spec: s }));
    fc.assert(
      fc.property(objects, (obj) => {
        const verdict = validate(obj);
        const parsed = parse(obj);
        if (parsed.ok) {
          expect(verdict.errors).toEqual([]);
          expect(parsed.value).toEqual(verdict.object);
        } else if (!hasTypeError([...parsed.errors, ...verdict.errors])) {
          expectSameErrors(parsed.errors, verdict.errors);
        } else {
          // A value of the wrong type: both reject; the lists of follow-on errors may differ.
          expect(verdict.errors.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
