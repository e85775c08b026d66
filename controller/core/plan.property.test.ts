// Invariants of the planner over random small fleets.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DestinationRule, ServiceEntry } from "../../crds/istio.js";
import { identitiesAffectedBy } from "./affected.js";
import { clusterOf, denseFleetArb, fleetArb, shuffledInput, toYaml } from "./fleet.arbitrary.test.js";
import { fleetIdentities, type FleetIndex, indexFleet, withWorkloads, workloadsOf } from "./fleet-index.js";
import { readyCount } from "./index-workloads.js";
import type { ClusterName, Plan, PlanInput, Workload } from "./model.js";
import { ENV_LABEL, IDENTITY_LABEL } from "./names.js";
import { plan, planFleet } from "./plan.js";
import { planIdentity } from "./plan-identity.js";
import { sortProblems } from "./problems.js";

const RUNS = { numRuns: 100 };
const hostKey = (o: ServiceEntry | DestinationRule): string => `${o.metadata.labels[IDENTITY_LABEL]}/${o.metadata.labels[ENV_LABEL]}`;

/** Clusters where (identity, env) may appear, computed from the rules without the planner. */
function allowedClusters(input: PlanInput, index: FleetIndex, identity: string, env: string): Set<ClusterName> {
  const allowed = new Set(workloadsOf(index, identity).filter((w) => w.env === env).map((w) => w.cluster));
  for (const dep of input.dependencies) {
    const applies = dep.destinations.some((d) => (d.identity === identity || d.identity === "*") && (d.env === undefined || d.env === env));
    if (!applies) continue;
    for (const w of workloadsOf(index, dep.source.identity)) {
      if (dep.source.env === undefined || dep.source.env === w.env) allowed.add(w.cluster);
    }
  }
  return allowed;
}

function hosts(index: FleetIndex): Array<{ identity: string; env: string; workloads: Workload[] }> {
  return fleetIdentities(index).flatMap((identity) => {
    const ws = workloadsOf(index, identity);
    return [...new Set(ws.map((w) => w.env))].map((env) => ({ identity, env, workloads: ws.filter((w) => w.env === env) }));
  });
}

function portsAgree(workloads: readonly Workload[]): boolean {
  const byName = new Map<string, number>();
  const byNumber = new Map<number, string>();
  for (const p of workloads.flatMap((w) => w.ports)) {
    if ((byName.get(p.name) ?? p.port) !== p.port || (byNumber.get(p.port) ?? p.name) !== p.name) return false;
    byName.set(p.name, p.port);
    byNumber.set(p.port, p.name);
  }
  return true;
}

/** Merges per-identity plans the way a reader of the API would: concatenate, sort by name. */
function union(index: FleetIndex, plans: readonly Plan[]): Plan {
  const byName = (a: { metadata: { name: string } }, b: { metadata: { name: string } }): number => (a.metadata.name < b.metadata.name ? -1 : 1);
  return {
    clusters: index.clusters.names.map((cluster) => ({
      cluster,
      serviceEntries: plans.flatMap((p) => p.clusters.find((c) => c.cluster === cluster)?.serviceEntries ?? []).sort(byName),
      destinationRules: plans.flatMap((p) => p.clusters.find((c) => c.cluster === cluster)?.destinationRules ?? []).sort(byName),
    })),
    problems: sortProblems([...index.problems, ...plans.flatMap((p) => p.problems)]),
  };
}

describe("plan properties", () => {
  it("is deterministic and independent of input order", () => {
    fc.assert(fc.property(fleetArb, fc.integer(), (input, seed) => {
      const expected = toYaml(plan(input));
      expect(toYaml(plan(input))).toBe(expected);
      expect(toYaml(plan(shuffledInput(input, seed)))).toBe(expected);
    }), RUNS);
  });

  it("places a host only where it is allowed, and everywhere allowed when it has endpoints", () => {
    fc.assert(fc.property(fleetArb, (input) => {
      const index = indexFleet(input);
      const result = plan(input);
      const gatewaysEverywhere = index.clusters.names.every((c) => clusterOf(input, c)?.gateway !== undefined);
      for (const host of hosts(index)) {
        const allowed = allowedClusters(input, index, host.identity, host.env);
        const placed = new Set(result.clusters.filter((c) => c.serviceEntries.some((se) => hostKey(se) === `${host.identity}/${host.env}`)).map((c) => c.cluster));
        for (const c of placed) expect(allowed.has(c)).toBe(true);
        const complete = gatewaysEverywhere && portsAgree(host.workloads) && host.workloads.some((w) => readyCount(w) > 0);
        if (complete) expect([...placed].sort()).toEqual([...allowed].sort());
        if (!host.workloads.some((w) => readyCount(w) > 0)) expect(placed.size).toBe(0);
      }
    }), RUNS);
  });

  it("never writes a ServiceEntry without endpoints, and pairs every ServiceEntry with its DestinationRule", () => {
    fc.assert(fc.property(fleetArb, (input) => {
      for (const c of plan(input).clusters) {
        for (const se of c.serviceEntries) expect(se.spec.endpoints.length).toBeGreaterThan(0);
        expect(c.serviceEntries.map((se) => se.spec.hosts[0])).toEqual(c.destinationRules.map((dr) => dr.spec.host));
      }
    }), RUNS);
  });

  it("takes drilled localities out of traffic whenever a host has endpoints elsewhere", () => {
    fc.assert(fc.property(fc.oneof(fleetArb, denseFleetArb), (input) => {
      const index = indexFleet(input);
      const result = plan(input);
      for (const host of hosts(index)) {
        const drills = index.drills.filter((d) => !d.identities?.length || d.identities.includes(host.identity));
        const drilled = new Set(index.clusters.names.filter((name) => drills.some((d) =>
          "region" in d.target ? index.clusters.byName.get(name)?.region === d.target.region : d.target.cluster === name)));
        const alternative = host.workloads.some((w) => readyCount(w) > 0 && !drilled.has(w.cluster));
        if (!alternative) continue;
        const endpoints = result.clusters
          .flatMap((c) => c.serviceEntries.filter((s) => hostKey(s) === `${host.identity}/${host.env}`))
          .flatMap((se) => se.spec.endpoints);
        for (const ep of endpoints) expect(drilled.has(ep.labels["topology.istio.io/cluster"] as ClusterName)).toBe(false);
      }
    }), { numRuns: 300 });
  });

  it("is exactly the union of the plans of every identity", () => {
    fc.assert(fc.property(fleetArb, (input) => {
      const index = indexFleet(input);
      const plans = fleetIdentities(index).map((identity) => {
        const p = planIdentity(index, identity);
        for (const c of p.clusters) for (const se of c.serviceEntries) expect(se.metadata.labels[IDENTITY_LABEL]).toBe(identity);
        return p;
      });
      expect(toYaml(union(index, plans))).toBe(toYaml(planFleet(index)));
    }), RUNS);
  });

  it("re-plans after a workload change exactly what a full plan gives, touching only affected identities", () => {
    const change = fc.record({ pick: fc.nat(), ready: fc.nat(3), moveTo: fc.option(fc.nat(5), { nil: undefined }) });
    fc.assert(fc.property(fleetArb, change, (input, { pick, ready, moveTo }) => {
      if (input.workloads.length === 0) return;
      const i = pick % input.workloads.length;
      const old = input.workloads[i] as Workload;
      const changed: Workload = { ...old, readyByZone: { za: ready }, ...(moveTo === undefined ? {} : { cluster: `c${moveTo}` as ClusterName }) };
      const next: PlanInput = { ...input, workloads: input.workloads.map((w, j) => (j === i ? changed : w)) };
      const before = indexFleet(input);
      const after = withWorkloads(before, old.identity, next.workloads.filter((w) => w.identity === old.identity));
      expect(toYaml(planFleet(after))).toBe(toYaml(plan(next)));
      const affected = new Set(identitiesAffectedBy(after, old.identity));
      for (const identity of fleetIdentities(after)) {
        if (!affected.has(identity)) expect(toYaml(planIdentity(after, identity))).toBe(toYaml(planIdentity(before, identity)));
      }
    }), RUNS);
  });
});
