// The two objects written per host and cluster, built as plain data with keys in a fixed order.
import {
  type DestinationRule,
  ISTIO_NETWORKING_API_VERSION,
  type LocalityLbSetting,
  type ObjectMeta,
  type OutlierDetection,
  type ServiceEntry,
  type ServiceEntryEndpoint,
  type ServiceEntryPort,
} from "../../crds/istio.js";
import { destinationRuleName, globalHost, ownershipLabels, serviceEntryName } from "./names.js";

/** What every object of one host shares, whatever the cluster. */
export interface HostShape {
  readonly host: string;
  readonly hosts: string[];
  readonly seMeta: ObjectMeta;
  readonly drMeta: ObjectMeta;
  readonly ports: readonly ServiceEntryPort[];
}

export function hostShape(identity: string, env: string, options: { hostSuffix: string; syncNamespace: string }, ports: readonly ServiceEntryPort[]): HostShape {
  const host = globalHost(identity, env, options.hostSuffix);
  const labels = ownershipLabels(identity, env);
  return {
    host,
    hosts: [host],
    seMeta: { name: serviceEntryName(host), namespace: options.syncNamespace, labels },
    drMeta: { name: destinationRuleName(host), namespace: options.syncNamespace, labels },
    ports,
  };
}

export function serviceEntry(shape: HostShape, endpoints: readonly ServiceEntryEndpoint[], exportTo: readonly string[] | undefined): ServiceEntry {
  const spec = exportTo === undefined
    ? { hosts: shape.hosts, ports: shape.ports as ServiceEntryPort[], location: "MESH_INTERNAL" as const, resolution: "DNS" as const, endpoints: endpoints as ServiceEntryEndpoint[] }
    : { hosts: shape.hosts, exportTo: exportTo as string[], ports: shape.ports as ServiceEntryPort[], location: "MESH_INTERNAL" as const, resolution: "DNS" as const, endpoints: endpoints as ServiceEntryEndpoint[] };
  return { apiVersion: ISTIO_NETWORKING_API_VERSION, kind: "ServiceEntry", metadata: shape.seMeta, spec };
}

export type DestinationTrafficPolicy = DestinationRule["spec"]["trafficPolicy"];

export function destinationTrafficPolicy(outlierDetection: OutlierDetection, localityLbSetting: LocalityLbSetting): DestinationTrafficPolicy {
  return { tls: { mode: "ISTIO_MUTUAL" }, outlierDetection, loadBalancer: { localityLbSetting } };
}

export function destinationRule(shape: HostShape, trafficPolicy: DestinationTrafficPolicy, exportTo: readonly string[] | undefined): DestinationRule {
  const spec = exportTo === undefined
    ? { host: shape.host, trafficPolicy }
    : { host: shape.host, exportTo: exportTo as string[], trafficPolicy };
  return { apiVersion: ISTIO_NETWORKING_API_VERSION, kind: "DestinationRule", metadata: shape.drMeta, spec };
}
