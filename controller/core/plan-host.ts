// Plans one host (identity, env): its ServiceEntry and DestinationRule in every cluster that
// wants it. Parts that come out identical for several clusters (endpoints, traffic policy,
// metadata) are built once and shared.
import type { DestinationRule, ServiceEntry, ServiceEntryEndpoint } from "../../crds/istio.js";
import { compareStrings, sortedStrings, uniqueSorted } from "./compare.js";
import { applyDrills } from "./drills.js";
import { type EndpointSource, endpointSources, endpointsSeenFrom, withoutLocality } from "./endpoints.js";
import type { FleetIndex, ResolvedOptions } from "./fleet-index.js";
import { destinationRule, destinationTrafficPolicy, type DestinationTrafficPolicy, type HostShape, hostShape, serviceEntry } from "./host-objects.js";
import { readyCount } from "./index-workloads.js";
import { policyFor } from "./index-policies.js";
import { localityLbSetting } from "./locality-lb.js";
import type { ClusterName, MemberCluster, Problem, TrafficPolicy, Workload } from "./model.js";
import { outlierDetectionFor } from "./outlier-detection.js";
import { type ClusterNeeds, type Placement, placeHost } from "./placement.js";
import { hostPolicyProblems } from "./policy-problems.js";
import { hostPorts } from "./ports.js";
import { problem } from "./problems.js";

export interface PlanSink {
  add(cluster: ClusterName, serviceEntry: ServiceEntry, destinationRule: DestinationRule): void;
  readonly problems: Problem[];
}

/** `workloads`: the host's usable workloads, sorted. */
export function planHost(index: FleetIndex, host: { identity: string; env: string }, workloads: readonly Workload[], sink: PlanSink): void {
  const ready = workloads.filter((w) => readyCount(w) > 0);
  if (ready.length === 0) return; // Never a ServiceEntry without endpoints.
  const drilled = applyDrills(index.clusters, index.drills, host, ready);
  const ports = hostPorts(workloads);
  const sources = endpointSources(index.clusters.byName, drilled.serving, ports.names);
  const placement = placeHost(index, host.identity, host.env, workloads);
  const policy = policyFor(index.policies.get(host.identity), host.env);
  const shape = hostShape(host.identity, host.env, index.options, ports.ports);
  const regions = uniqueSorted(sources.map((s) => s.region));
  sink.problems.push(...drilled.problems, ...ports.problems, ...gatewayProblems(shape.host, sources, placement));
  sink.problems.push(...hostPolicyProblems(policy, host.env, regions));
  const writer = new HostWriter(index, shape, policy, { sources, regions });
  for (const [cluster, needs] of placement) writer.write(cluster, needs, sink);
}

function gatewayProblems(host: string, sources: readonly EndpointSource[], placement: Placement): Problem[] {
  const problems: Problem[] = [];
  for (const source of sources) {
    if (source.remote !== undefined) continue;
    const others = sortedStrings([...placement.keys()].filter((c) => c !== source.cluster));
    if (others.length === 0) continue;
    problems.push(problem("GatewayMissing", { kind: "MeshCluster", name: source.cluster },
      `MeshCluster ${source.cluster}: field spec.gateway is not set, so the endpoints of ${host} in ${source.cluster} cannot be reached from ${others.join(", ")} and are left out there`));
  }
  return problems;
}

/** Namespaces that need the host in one cluster, or undefined (no narrowing) past the limit or for `*`. */
function exportToFor(needs: ClusterNeeds, options: ResolvedOptions): string[] | undefined {
  if (needs.wildcard || needs.namespaces.length > options.exportToLimit) return undefined;
  const namespaces = [...needs.namespaces];
  if (needs.own && !namespaces.includes(options.gatewayNamespace)) namespaces.push(options.gatewayNamespace);
  return namespaces.sort(compareStrings);
}

/** Writes one host's objects cluster by cluster, sharing what is the same everywhere. */
class HostWriter {
  private remoteOnly: ServiceEntryEndpoint[] | undefined;
  private readonly servingClusters: ReadonlySet<ClusterName>;
  /** Every source has a gateway, so every cluster sees endpoints in every region. */
  private readonly uniform: boolean;
  private readonly trafficPolicies = new Map<string, DestinationTrafficPolicy>();
  private readonly sources: readonly EndpointSource[];
  /** Regions of all sources, sorted. */
  private readonly regions: readonly string[];

  constructor(
    private readonly index: FleetIndex,
    private readonly shape: HostShape,
    private readonly policy: TrafficPolicy | undefined,
    endpoints: { sources: readonly EndpointSource[]; regions: readonly string[] },
  ) {
    this.sources = endpoints.sources;
    this.regions = endpoints.regions;
    this.servingClusters = new Set(this.sources.map((s) => s.cluster));
    this.uniform = this.sources.every((s) => s.remote !== undefined);
  }

  write(cluster: ClusterName, needs: ClusterNeeds, sink: PlanSink): void {
    const seen = this.servingClusters.has(cluster) ? endpointsSeenFrom(this.sources, cluster) : this.remoteEndpoints();
    if (seen.length === 0) return;
    const endpoints = this.policy?.mode === "Failover" ? withoutLocality(seen) : seen;
    const exportTo = exportToFor(needs, this.index.options);
    const region = (this.index.clusters.byName.get(cluster) as MemberCluster).region;
    const trafficPolicy = this.trafficPolicy(region, cluster);
    sink.add(cluster, serviceEntry(this.shape, endpoints, exportTo), destinationRule(this.shape, trafficPolicy, exportTo));
  }

  private remoteEndpoints(): ServiceEntryEndpoint[] {
    this.remoteOnly ??= endpointsSeenFrom(this.sources, "" as ClusterName);
    return this.remoteOnly;
  }

  /** Shared by every cluster of one region that sees endpoints in the same regions. */
  private trafficPolicy(region: string, cluster: ClusterName): DestinationTrafficPolicy {
    const regions = this.uniform ? this.regions : visibleRegions(this.sources, cluster);
    const key = this.uniform ? region : `${region}\u0000${regions.join(",")}`;
    let tp = this.trafficPolicies.get(key);
    if (tp === undefined) {
      tp = destinationTrafficPolicy(outlierDetectionFor(this.policy), localityLbSetting(this.policy, region, regions));
      this.trafficPolicies.set(key, tp);
    }
    return tp;
  }
}

/** Regions with endpoints as `cluster` sees them (its own, and those behind a gateway). */
function visibleRegions(sources: readonly EndpointSource[], cluster: ClusterName): string[] {
  return uniqueSorted(sources.filter((s) => s.cluster === cluster || s.remote !== undefined).map((s) => s.region));
}
