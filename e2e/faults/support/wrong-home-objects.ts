// Home objects the CRDs accept but that cannot work, generated with fast-check: ServiceDependencies
// naming identities that run nowhere (one with the CRD's maximum of 256 destinations),
// TrafficPolicies for identities that run nowhere, with regions that do not exist (one with the
// maximum of 64) or in conflict with each other, FailoverDrills of regions and clusters that do not
// exist (one with the maximum of 1024 identities). Each must be reported in its own status.
import { CustomObjectsApi, type KubernetesObject } from "@kubernetes/client-node";
import fc from "fast-check";

import { API_VERSION, GROUP, VERSION } from "../../../crds/group-version.js";
import type { FaultWorld } from "./fault-world.js";

const name = fc.stringMatching(/^[a-z][a-z0-9]{2,12}$/);
const nowhere = name.map((n) => `nowhere-${n}`);
const unknowns = (count: number): string[] => Array.from({ length: count }, (_, i) => `nowhere-${i}`);

interface Generated {
  readonly plural: "servicedependencies" | "trafficpolicies" | "failoverdrills";
  readonly spec: Record<string, unknown>;
}

function arbitraries(world: FaultWorld): fc.Arbitrary<Generated>[] {
  const running = fc.constantFrom(world.identities.api, world.identities.shared);
  const source = fc.oneof(fc.constantFrom(world.identities.web, world.identities.worker), nowhere);
  const dependency = fc.record({ source: fc.record({ identity: source }), destinations: fc.uniqueArray(nowhere.map((identity) => ({ identity })), { minLength: 1, maxLength: 5, selector: (d) => d.identity }) });
  const policy = fc.oneof(
    fc.record({ identity: nowhere, mode: fc.constant("Topology") }),
    fc.record({ identity: running, mode: fc.constant("Failover"), regions: fc.uniqueArray(nowhere, { minLength: 1, maxLength: 4 }) }),
    fc.record({ identity: running, mode: fc.constant("Weighted"), weights: nowhere.map((region) => [{ region, weight: 100 }]) }),
  );
  const drill = fc.oneof(
    fc.record({ target: fc.record({ region: nowhere }), duration: fc.constantFrom("10s", "1m") }),
    fc.record({ target: fc.record({ cluster: nowhere }), planOnly: fc.boolean() }),
  );
  return [
    dependency.map((spec) => ({ plural: "servicedependencies" as const, spec })),
    policy.map((spec) => ({ plural: "trafficpolicies" as const, spec })),
    drill.map((spec) => ({ plural: "failoverdrills" as const, spec })),
  ];
}

/** The generated objects (by `seed`), and one of each kind with a list at the CRD's maximum size. */
export function wrongHomeObjects(world: FaultWorld, seed: number, perKind: number): Generated[] {
  const generated = arbitraries(world).flatMap((arbitrary, i) => fc.sample(arbitrary, { seed: seed + i, numRuns: perKind }));
  return [
    ...generated,
    { plural: "servicedependencies", spec: { source: { identity: world.identities.web }, destinations: unknowns(256).map((identity) => ({ identity })) } },
    { plural: "trafficpolicies", spec: { identity: world.identities.api, mode: "Failover", regions: unknowns(64) } },
    { plural: "trafficpolicies", spec: { identity: world.identities.shared, mode: "Topology" } },
    { plural: "trafficpolicies", spec: { identity: world.identities.shared, mode: "Failover", regions: ["us-east", "nowhere-region"] } },
    { plural: "failoverdrills", spec: { target: { region: "nowhere-region" }, identities: unknowns(1024) } },
  ];
}

const KINDS = { servicedependencies: "ServiceDependency", trafficpolicies: "TrafficPolicy", failoverdrills: "FailoverDrill" } as const;

export interface Created {
  readonly plural: Generated["plural"];
  readonly name: string;
}

/** Creates each object; those the API server rejects are counted, not created. */
export async function createAll(world: FaultWorld, objects: readonly Generated[]): Promise<{ created: Created[]; rejected: number }> {
  const api = world.fleet.home.kubeConfig.makeApiClient(CustomObjectsApi);
  const created: Created[] = [];
  let rejected = 0;
  for (const [i, { plural, spec }] of objects.entries()) {
    const body: KubernetesObject & { spec: unknown } = { apiVersion: API_VERSION, kind: KINDS[plural], metadata: { name: `wrong-${i}`, namespace: world.fleet.namespace }, spec };
    const ok = await api.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: world.fleet.namespace, plural, body }).then(
      () => true,
      () => false,
    );
    if (ok) created.push({ plural, name: `wrong-${i}` });
    else rejected += 1;
  }
  return { created, rejected };
}

interface Status {
  unresolved?: unknown[];
  problems?: unknown[];
  phase?: string;
  conditions?: { type: string; status: string }[];
}

/** Whether the object's status reports what is wrong with it. */
const REPORTED: Readonly<Record<Generated["plural"], (status: Status) => boolean>> = {
  failoverdrills: (status) => status.phase === "Refused" || status.phase === "Failed",
  servicedependencies: (status) => (status.unresolved?.length ?? 0) > 0,
  trafficpolicies: (status) => (status.problems?.length ?? 0) > 0 || (status.conditions ?? []).some((c) => c.type === "Applied" && c.status !== "True"),
};

function reported(plural: Generated["plural"], status: Status | undefined): boolean {
  return status !== undefined && REPORTED[plural](status);
}

/** The created objects whose status does not report a problem yet. */
export async function unreported(world: FaultWorld, created: readonly Created[]): Promise<Created[]> {
  const api = world.fleet.home.kubeConfig.makeApiClient(CustomObjectsApi);
  const missing: Created[] = [];
  for (const object of created) {
    const read = (await api.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: world.fleet.namespace, plural: object.plural, name: object.name })) as { status?: Status };
    if (!reported(object.plural, read.status)) missing.push(object);
  }
  return missing;
}

export async function deleteAll(world: FaultWorld, created: readonly Created[]): Promise<void> {
  const api = world.fleet.home.kubeConfig.makeApiClient(CustomObjectsApi);
  for (const { plural, name: objectName } of created) {
    await api.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: world.fleet.namespace, plural, name: objectName }).catch(() => undefined);
  }
}
