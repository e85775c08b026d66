// Parsed custom objects to the graph's plain data. Pure: the objects have passed their zod schema.

import type { V1Service } from "@kubernetes/client-node";

import { meshClusterNetwork, RESOURCES, WILDCARD_IDENTITY } from "../../crds/index.js";
import type { DrillPhase, FailoverDrill, MeshCluster, ServiceDependency, TrafficPolicy as TrafficPolicyObject } from "../../crds/index.js";
import { clusterName } from "../graph-model.js";
import type { ClusterGateway, Dependency, Drill, MemberCluster, ObjectRef, TrafficPolicy } from "./model.js";

/** Phases in which a drill changes routing: the planner sees only these. */
export const ACTIVE_DRILL_PHASES: readonly DrillPhase[] = Object.freeze(["Evacuating", "Holding"]);

export function objectRef(kind: string, metadata: { namespace?: string; name: string }): ObjectRef {
  return metadata.namespace === undefined ? { kind, name: metadata.name } : { kind, namespace: metadata.namespace, name: metadata.name };
}

/** A MeshCluster as a planner cluster; `gatewayService` is its `spec.gateway.serviceRef` Service, if watched. */
export function memberClusterOf(meshCluster: MeshCluster, gatewayService?: V1Service): MemberCluster {
  const base = {
    name: clusterName(meshCluster.metadata.name),
    region: meshCluster.spec.region,
    zone: meshCluster.spec.zone ?? "",
    network: meshClusterNetwork(meshCluster),
  };
  const gateway = gatewayOf(meshCluster, gatewayService);
  return gateway === undefined ? base : { ...base, gateway };
}

function gatewayOf(meshCluster: MeshCluster, gatewayService: V1Service | undefined): ClusterGateway | undefined {
  const spec = meshCluster.spec.gateway;
  if (spec === undefined) {
    return undefined;
  }
  const address = spec.address ?? (spec.serviceRef === undefined ? undefined : loadBalancerAddress(gatewayService));
  return address === undefined ? undefined : { address, port: spec.port };
}

/** The first load-balancer ingress of a Service: its IP, else its hostname. */
export function loadBalancerAddress(service: V1Service | undefined): string | undefined {
  const ingress = service?.status?.loadBalancer?.ingress ?? [];
  for (const entry of ingress) {
    const address = nonEmpty(entry.ip) ?? nonEmpty(entry.hostname);
    if (address !== undefined) {
      return address;
    }
  }
  return undefined;
}

export function dependencyOf(object: ServiceDependency): Dependency {
  const { source, destinations } = object.spec;
  return {
    ref: objectRef(RESOURCES.ServiceDependency.kind, object.metadata),
    source: source.env === undefined ? { identity: source.identity } : { identity: source.identity, env: source.env },
    destinations: destinations.map((d) => (d.env === undefined ? { identity: d.identity } : { identity: d.identity, env: d.env })),
  };
}

export function isWildcard(dependency: Dependency): boolean {
  return dependency.destinations.some((d) => d.identity === WILDCARD_IDENTITY);
}

export function trafficPolicyOf(object: TrafficPolicyObject): TrafficPolicy {
  const { spec, metadata } = object;
  return {
    ref: objectRef(RESOURCES.TrafficPolicy.kind, metadata),
    createdAt: metadata.creationTimestamp ?? "",
    identity: spec.identity,
    ...(spec.env === undefined ? {} : { env: spec.env }),
    mode: spec.mode,
    regions: spec.regions ?? [],
    weights: spec.weights ?? [],
    ...(spec.outlierDetection === undefined ? {} : { outlierDetection: spec.outlierDetection }),
  };
}

/** The drill as planner input while it is in effect (phase Evacuating or Holding), else undefined. */
export function activeDrillOf(object: FailoverDrill): Drill | undefined {
  const phase = object.status?.phase;
  if (phase === undefined || !ACTIVE_DRILL_PHASES.includes(phase)) {
    return undefined;
  }
  return drillOf(object);
}

/** The drill as planner input, whatever its phase (for planning and verifying it). */
export function drillOf(object: FailoverDrill): Drill {
  const { target, identities } = object.spec;
  const ref = objectRef(RESOURCES.FailoverDrill.kind, object.metadata);
  const drillTarget = target.cluster === undefined ? { region: target.region ?? "" } : { cluster: clusterName(target.cluster) };
  return identities === undefined || identities.length === 0 ? { ref, target: drillTarget } : { ref, target: drillTarget, identities };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
