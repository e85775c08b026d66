// The workloads of one member cluster, derived from its informer caches as plain data: one Workload
// per Service that carries an identity (see identity.ts), with the Service's ports and the ready
// endpoints per zone of its EndpointSlices. Services that carry an identity but cannot be federated
// are returned as `skipped` with a reason, for the caller to report; Services without any identity
// are not part of the mesh and are left out silently. Output is sorted and deterministic.

import type { V1Deployment, V1EndpointSlice, V1Service } from "@kubernetes/client-node";

import { compareStrings } from "./compare.js";
import type { ClusterName, Workload } from "./graph-model.js";
import { DEFAULT_IDENTITY_OPTIONS, resolveIdentity } from "./identity.js";
import type { IdentityOptions, KindedController, PodController } from "./identity.js";
import { readyByZone, SERVICE_NAME_LABEL } from "./ready-endpoints.js";
import { workloadPorts } from "./workload-ports.js";

export interface DeriveWorkloadsInput {
  cluster: ClusterName;
  services: readonly V1Service[];
  endpointSlices: readonly V1EndpointSlice[];
  deployments: readonly V1Deployment[];
  /** Argo Rollouts (argoproj.io/v1alpha1), read through the same `spec.template` shape. */
  rollouts: readonly PodController[];
  options?: IdentityOptions;
}

export interface SkippedService {
  namespace: string;
  name: string;
  reason: string;
}

export interface DerivedWorkloads {
  workloads: Workload[];
  skipped: SkippedService[];
}

/** One Service's outcome: its workload (and whether the Service is headless), or why it was skipped. */
export interface DerivedService {
  workload: Workload;
  headless: boolean;
}

export type ServiceOutcome = DerivedService | SkippedService;

const EXTERNAL_NAME = "is of type ExternalName: it has no endpoints to federate";

export function deriveWorkloads(input: DeriveWorkloadsInput): DerivedWorkloads {
  const controllers = indexControllers(input.deployments, input.rollouts);
  const slices = indexSlices(input.endpointSlices);
  const options = input.options ?? DEFAULT_IDENTITY_OPTIONS;
  const outcomes: ServiceOutcome[] = [];
  for (const service of input.services) {
    const { namespace = "", name = "" } = service.metadata ?? {};
    const outcome = deriveService(service, { cluster: input.cluster, controllers: controllers.get(namespace) ?? [], slices: slices.get(`${namespace}/${name}`) ?? [], options });
    if (outcome !== undefined) outcomes.push(outcome);
  }
  return mergeOutcomes(outcomes);
}

/** What one Service is derived from: its namespace's pod controllers and its own EndpointSlices. */
export interface ServiceContext {
  readonly cluster: ClusterName;
  readonly controllers: readonly KindedController[];
  readonly slices: readonly V1EndpointSlice[];
  readonly options: IdentityOptions;
}

/** One Service: its workload, why it is skipped, or undefined when it carries no identity. */
export function deriveService(service: V1Service, context: ServiceContext): ServiceOutcome | undefined {
  const { namespace = "", name = "" } = service.metadata ?? {};
  const identity = resolveIdentity(service, context.controllers, context.options);
  switch (identity.kind) {
    case "none":
      return undefined;
    case "invalid":
      return { namespace, name, reason: identity.reason };
    default:
      return federate(service, { identity: identity.identity, env: identity.env, cluster: context.cluster, namespace, service: name }, context.slices);
  }
}

/** The cluster's workloads from every Service's outcome: one Service per identity and env, sorted. */
export function mergeOutcomes(outcomes: Iterable<ServiceOutcome>): DerivedWorkloads {
  const derived: DerivedService[] = [];
  const skipped: SkippedService[] = [];
  for (const outcome of outcomes) {
    if ("reason" in outcome) skipped.push(outcome);
    else derived.push(outcome);
  }
  const { workloads, duplicates } = oneServicePerIdentity(derived);
  skipped.push(...duplicates);
  workloads.sort(compareWorkloads);
  skipped.sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
  return { workloads, skipped };
}

function federate(service: V1Service, key: Omit<Workload, "ports" | "readyByZone">, slices: readonly V1EndpointSlice[]): ServiceOutcome {
  const spec = service.spec ?? {};
  const { ports, problem } = spec.type === "ExternalName" ? { ports: [], problem: EXTERNAL_NAME } : workloadPorts(spec.ports);
  if (problem !== undefined) {
    return { namespace: key.namespace, name: key.service, reason: problem };
  }
  return { workload: { ...key, ports, readyByZone: readyByZone(slices) }, headless: spec.clusterIP === "None" };
}

/**
 * A cluster runs an identity+env behind one Service. When several Services resolve to the same one
 * (typically a headless Service beside the regular one, both selecting the same pods), the regular
 * Service wins over a headless one, then the first by namespace and name; the others are skipped.
 */
function oneServicePerIdentity(derived: readonly DerivedService[]): { workloads: Workload[]; duplicates: SkippedService[] } {
  const preferred = [...derived].sort(
    (a, b) => Number(a.headless) - Number(b.headless) || compareStrings(a.workload.namespace, b.workload.namespace) || compareStrings(a.workload.service, b.workload.service),
  );
  const winners = new Map<string, Workload>();
  const duplicates: SkippedService[] = [];
  for (const { workload } of preferred) {
    const key = `${workload.identity}\u0000${workload.env}`;
    const winner = winners.get(key);
    if (winner === undefined) {
      winners.set(key, workload);
      continue;
    }
    duplicates.push({
      namespace: workload.namespace,
      name: workload.service,
      reason: `identity ${workload.identity} env ${workload.env} is already served by Service ${winner.namespace}/${winner.service}`,
    });
  }
  return { workloads: [...winners.values()], duplicates };
}

function indexControllers(deployments: readonly V1Deployment[], rollouts: readonly PodController[]): Map<string, KindedController[]> {
  const all: KindedController[] = [
    ...deployments.map((object): KindedController => ({ kind: "Deployment", object })),
    ...rollouts.map((object): KindedController => ({ kind: "Rollout", object })),
  ];
  return groupBy(all, (c) => c.object.metadata?.namespace ?? "");
}

/** EndpointSlices by `namespace/service` of the Service they belong to (unowned slices left out). */
export function indexSlices(slices: readonly V1EndpointSlice[]): Map<string, V1EndpointSlice[]> {
  const owned = slices.filter((s) => (s.metadata?.labels?.[SERVICE_NAME_LABEL] ?? "") !== "");
  return groupBy(owned, (s) => `${s.metadata?.namespace ?? ""}/${s.metadata?.labels?.[SERVICE_NAME_LABEL] ?? ""}`);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, [item]);
    } else {
      group.push(item);
    }
  }
  return groups;
}

function compareWorkloads(a: Workload, b: Workload): number {
  return (
    compareStrings(a.identity, b.identity) ||
    compareStrings(a.env, b.env) ||
    compareStrings(a.namespace, b.namespace) ||
    compareStrings(a.service, b.service)
  );
}
