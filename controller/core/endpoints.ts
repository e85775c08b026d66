// Rule 3, endpoints: one per serving workload. Seen from its own cluster it is the Service's
// cluster-local name and real ports; seen from any other cluster it is that cluster's east-west
// gateway, every port on the gateway port. Each carries its locality and topology labels.
import type { ServiceEntryEndpoint } from "../../crds/istio.js";
import { compareStrings } from "./compare.js";
import { clusterNetwork } from "./index-clusters.js";
import { REGION_LABEL } from "./locality-lb.js";
import type { ClusterName, MemberCluster, Workload, WorkloadPort } from "./model.js";

export const TLS_MODE_LABEL = "security.istio.io/tlsMode";
export const CLUSTER_LABEL = "topology.istio.io/cluster";
export const NETWORK_LABEL = "topology.istio.io/network";

/** One serving workload, as an endpoint from inside and from outside its cluster. */
export interface EndpointSource {
  readonly cluster: ClusterName;
  readonly region: string;
  readonly local: ServiceEntryEndpoint;
  /** Absent when the cluster has no gateway. */
  readonly remote?: ServiceEntryEndpoint;
}

/**
 * `serving` in sorted order; `portNames` are the names the ServiceEntry declares. A workload
 * none of whose ports made it into the ServiceEntry (PortConflict) gives no endpoint.
 */
export function endpointSources(
  clusters: ReadonlyMap<ClusterName, MemberCluster>,
  serving: readonly Workload[],
  portNames: ReadonlySet<string>,
): EndpointSource[] {
  const remotes = new Map<string, ServiceEntryEndpoint>();
  const sources: EndpointSource[] = [];
  for (const w of serving) {
    const ports = w.ports.filter((p) => portNames.has(p.name)).sort((a, b) => compareStrings(a.name, b.name));
    if (ports.length > 0) sources.push(endpointSource(clusters.get(w.cluster) as MemberCluster, w, ports, remotes));
  }
  return sources;
}

function endpointSource(cluster: MemberCluster, w: Workload, ports: readonly WorkloadPort[], remotes: Map<string, ServiceEntryEndpoint>): EndpointSource {
  const locality = localityOf(cluster, w.readyByZone);
  const labels = topologyLabels(cluster);
  const local = endpoint(`${w.service}.${w.namespace}.svc.cluster.local`, Object.fromEntries(ports.map((p) => [p.name, p.port])), labels, locality);
  const gateway = cluster.gateway;
  if (gateway === undefined) return { cluster: cluster.name, region: cluster.region, local };
  // Two workloads behind one gateway in one locality are one endpoint.
  const key = `${cluster.name}\u0000${locality}\u0000${ports.map((p) => p.name).join(",")}`;
  const remote = remotes.get(key) ?? endpoint(gateway.address, Object.fromEntries(ports.map((p) => [p.name, gateway.port])), labels, locality);
  remotes.set(key, remote);
  return { cluster: cluster.name, region: cluster.region, local, remote };
}

function endpoint(address: string, ports: Record<string, number>, labels: Record<string, string>, locality: string): ServiceEntryEndpoint {
  return { address, ports, labels, network: labels[NETWORK_LABEL] as string, locality };
}

function topologyLabels(cluster: MemberCluster): Record<string, string> {
  return {
    [TLS_MODE_LABEL]: "istio",
    [CLUSTER_LABEL]: cluster.name,
    [NETWORK_LABEL]: clusterNetwork(cluster),
  };
}

/**
 * `region/zone`, where zone is the zone with the most ready endpoints (ties: the first by name),
 * endpoints without a zone counting for the cluster's default zone. Just `region` when no zone is known.
 */
export function localityOf(cluster: MemberCluster, readyByZone: Readonly<Record<string, number>>): string {
  const counts = readyPerZone(cluster, readyByZone);
  let best: [string, number] | undefined;
  for (const candidate of counts) if (best === undefined || beats(candidate, best)) best = candidate;
  const zone = best?.[0] ?? cluster.zone;
  return zone === "" ? cluster.region : `${cluster.region}/${zone}`;
}

function readyPerZone(cluster: MemberCluster, readyByZone: Readonly<Record<string, number>>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [zone, n] of Object.entries(readyByZone)) {
    if (n <= 0) continue;
    const z = zone === "" ? cluster.zone : zone;
    counts.set(z, (counts.get(z) ?? 0) + n);
  }
  return counts;
}

/** More endpoints wins; then a known zone over an unknown one; then the first by name. */
function beats([zone, n]: [string, number], [bestZone, bestN]: [string, number]): boolean {
  if (n !== bestN) return n > bestN;
  if ((zone === "") !== (bestZone === "")) return bestZone === "";
  return compareStrings(zone, bestZone) < 0;
}

/** The endpoints of a host as `cluster` sees them, in source order, without repeats. */
export function endpointsSeenFrom(sources: readonly EndpointSource[], cluster: ClusterName): ServiceEntryEndpoint[] {
  const seen = new Set<ServiceEntryEndpoint>();
  for (const source of sources) {
    const ep = source.cluster === cluster ? source.local : source.remote;
    if (ep !== undefined) seen.add(ep);
  }
  return [...seen];
}

/**
 * The endpoints of a Failover-mode host: no `locality`, and the region as the label its
 * DestinationRule's `failoverPriority` matches. Why: a ServiceEntry with DNS resolution becomes
 * one Envoy cluster, and istiod (seen with the 1.31 line, e2e/istio-xds.e2e.test.ts) applies
 * `failoverPriority` to it using only the first locality's endpoints while counting all of them:
 * with endpoints in two or more localities it panics (index out of range in
 * applyFailoverPriorityPerLocality) and the whole istiod restarts. One locality group avoids it;
 * failoverPriority does not use localities anyway.
 */
export function withoutLocality(endpoints: readonly ServiceEntryEndpoint[]): ServiceEntryEndpoint[] {
  return endpoints.map(({ locality, ...rest }) => {
    const region = locality?.split("/")[0] ?? "";
    return region === "" ? rest : { ...rest, labels: { ...rest.labels, [REGION_LABEL]: region } };
  });
}
