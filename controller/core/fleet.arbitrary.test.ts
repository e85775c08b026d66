// Random small fleets for the property tests (and a check that they exercise what they should).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  type ClusterName, clusterName, type Dependency, type Drill, type MemberCluster, type Plan, type PlanInput,
  type TrafficPolicy, type Workload, type WorkloadPort,
} from "./model.js";

const REGIONS = ["r1", "r2", "r3"];
const ZONES = ["za", "zb", ""];
const IDENTITIES = ["i0", "i1", "i2", "i3", "i4"];
const ENVS = ["e0", "e1"];
const NAMESPACES = ["ns0", "ns1", "ns2", "ns3"];
const PORTS: WorkloadPort[] = [
  { name: "http", port: 80 }, { name: "grpc", port: 9090 }, { name: "tcp-x", port: 9100 }, { name: "http", port: 8080 },
];

export const toYaml = (plan: Plan): string => stringify(plan, { aliasDuplicateObjects: false, lineWidth: 0 });

const clusterArb = (i: number): fc.Arbitrary<MemberCluster> => fc.record({
  region: fc.constantFrom(...REGIONS),
  zone: fc.constantFrom(...ZONES),
  network: fc.constantFrom("", "n0", "n1"),
  hasGateway: fc.nat(9),
}).map(({ hasGateway, ...c }) => ({
  name: clusterName(`c${i}`), ...c,
  ...(hasGateway > 0 ? { gateway: { address: `10.0.0.${i}`, port: 15443 } } : {}),
}));

const workloadArb = (clusters: number, dense: boolean): fc.Arbitrary<Workload> => fc.record({
  identity: fc.constantFrom(...(dense ? IDENTITIES.slice(0, 2) : IDENTITIES)),
  env: fc.constantFrom(...(dense ? ENVS.slice(0, 1) : ENVS)),
  cluster: fc.oneof({ weight: 20, arbitrary: fc.nat(clusters - 1).map((i) => clusterName(`c${i}`)) }, { weight: 1, arbitrary: fc.constant(clusterName("cx")) }),
  namespace: fc.constantFrom(...NAMESPACES),
  service: fc.constantFrom("s0", "s1"),
  ports: fc.subarray(PORTS, { minLength: 0 }).filter((ps) => new Set(ps.map((p) => p.name)).size === ps.length),
  readyByZone: fc.dictionary(fc.constantFrom(...ZONES), fc.nat(3), { maxKeys: 3 }),
});

const targetArb = fc.record({ identity: fc.constantFrom(...IDENTITIES), env: fc.option(fc.constantFrom(...ENVS), { nil: undefined }) })
  .map(({ identity, env }) => (env === undefined ? { identity } : { identity, env }));

const dependencyArb = (i: number): fc.Arbitrary<Dependency> => fc.record({
  source: targetArb,
  destinations: fc.oneof({ weight: 5, arbitrary: fc.array(targetArb, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant([{ identity: "*" }]) }),
}).map((d) => ({ ref: { kind: "ServiceDependency", namespace: "deps", name: `d${i}` }, ...d }));

const policyArb = (i: number): fc.Arbitrary<TrafficPolicy> => fc.record({
  target: targetArb,
  createdAt: fc.constantFrom("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
  mode: fc.constantFrom("Topology", "Failover", "Weighted") as fc.Arbitrary<TrafficPolicy["mode"]>,
  regions: fc.shuffledSubarray([...REGIONS, "r9"]),
  weights: fc.shuffledSubarray(REGIONS).chain((rs) => fc.tuple(...rs.map((region) => fc.nat(100).map((weight) => ({ region, weight }))))),
}).map(({ target, ...p }) => ({ ref: { kind: "TrafficPolicy", namespace: "pol", name: `p${i}` }, identity: target.identity, ...(target.env ? { env: target.env } : {}), ...p }));

const drillArb = (i: number, clusters: number): fc.Arbitrary<Drill> => fc.record({
  target: fc.oneof(fc.constantFrom(...REGIONS, "r9").map((region) => ({ region })), fc.nat(clusters).map((c) => ({ cluster: clusterName(`c${c}`) }))),
  identities: fc.option(fc.subarray(IDENTITIES), { nil: undefined }),
}).map(({ target, identities }) => ({ ref: { kind: "FailoverDrill", namespace: "ops", name: `x${i}` }, target, ...(identities ? { identities } : {}) }));

const indexed = <T>(n: number, arb: (i: number) => fc.Arbitrary<T>): fc.Arbitrary<T[]> =>
  n === 0 ? fc.constant([]) : fc.tuple(...Array.from({ length: n }, (_, i) => arb(i)));

/** A small fleet; `dense` puts many workloads on few hosts and always has a drill. */
const fleet = (dense: boolean): fc.Arbitrary<PlanInput> => fc.record({
  clusters: fc.integer({ min: 1, max: 5 }),
  workloads: fc.nat(12),
  dependencies: fc.nat(4),
  policies: fc.nat(3),
  drills: dense ? fc.integer({ min: 1, max: 2 }) : fc.nat(2),
  duplicateCluster: fc.nat(9),
  exportToLimit: fc.integer({ min: 1, max: 4 }),
}).chain((n) => fc.record({
  clusters: indexed(n.clusters, clusterArb).chain((cs) => n.duplicateCluster === 0 ? clusterArb(0).map((d) => [...cs, d]) : fc.constant(cs)),
  workloads: fc.array(workloadArb(n.clusters, dense), { maxLength: n.workloads }),
  dependencies: indexed(n.dependencies, dependencyArb),
  policies: indexed(n.policies, policyArb),
  drills: indexed(n.drills, (i) => drillArb(i, n.clusters)),
  options: fc.constant({ hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: n.exportToLimit }),
}));

export const fleetArb = fleet(false);
export const denseFleetArb = fleet(true);

/** A deterministic permutation (mulberry32), so a failing shuffle can be replayed from its seed. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const reverseKeys = (r: Readonly<Record<string, number>>): Record<string, number> => Object.fromEntries(Object.entries(r).reverse());

/** The same fleet in another order: every list and every order-free sub-list permuted. */
export function shuffledInput(input: PlanInput, seed: number): PlanInput {
  return {
    options: input.options,
    clusters: shuffle(input.clusters, seed),
    workloads: shuffle(input.workloads, seed + 1).map((w) => ({ ...w, ports: shuffle(w.ports, seed + 2), readyByZone: reverseKeys(w.readyByZone) })),
    dependencies: shuffle(input.dependencies, seed + 3).map((d) => ({ ...d, destinations: shuffle(d.destinations, seed + 4) })),
    policies: shuffle(input.policies, seed + 5).map((p) => ({ ...p, weights: shuffle(p.weights, seed + 6) })),
    drills: shuffle(input.drills, seed + 7).map((d) => (d.identities ? { ...d, identities: shuffle(d.identities, seed + 8) } : d)),
  };
}

export const clusterOf = (input: PlanInput, name: ClusterName): MemberCluster | undefined =>
  [...input.clusters].sort((a, b) => (a.name < b.name ? -1 : 1)).find((c) => c.name === name);

describe("fleetArb", () => {
  it("generates fleets with workloads, dependencies, policies and drills", () => {
    const samples = fc.sample(fleetArb, { numRuns: 200, seed: 42 });
    expect(samples.some((s) => s.workloads.length > 5)).toBe(true);
    expect(samples.some((s) => s.dependencies.some((d) => d.destinations[0]?.identity === "*"))).toBe(true);
    expect(samples.some((s) => s.policies.some((p) => p.mode === "Weighted"))).toBe(true);
    expect(samples.some((s) => s.drills.length > 0)).toBe(true);
  });
});
