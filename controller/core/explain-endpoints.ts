// `explain`, part two: every workload of a host and whether it is an endpoint seen from one cluster
// (and if not, why), and the failover order a client there gets. The rules are the planner's own
// functions (readyCount, applyDrills, hostPorts, localityOf, the gateway); nothing is decided twice.
import type { LocalityLbSetting, ServiceEntryEndpoint } from "../../crds/istio.js";
import { uniqueSorted } from "./compare.js";
import { applyDrills } from "./drills.js";
import { CLUSTER_LABEL, localityOf } from "./endpoints.js";
import type { FleetIndex } from "./fleet-index.js";
import { describeDrillTarget, drillCoversIdentity } from "./index-drills.js";
import { readyCount } from "./index-workloads.js";
import type { ClusterName, MemberCluster, ObjectRef, Workload } from "./model.js";
import { REGION_LABEL } from "./locality-lb.js";
import { hostPorts } from "./ports.js";
import { describeRef } from "./problems.js";

export interface WorkloadVerdict {
  readonly cluster: ClusterName;
  readonly namespace: string;
  readonly service: string;
  readonly ready: number;
  readonly locality: string;
  /** Undefined: an endpoint of the host as seen from the cluster asked about. */
  readonly leftOut?: string;
}

export interface EndpointRow {
  readonly cluster: string;
  readonly address: string;
  readonly ports: Readonly<Record<string, number>>;
  readonly locality: string;
  /** Ready endpoints behind it (its serving workloads in that cluster and locality). */
  readonly ready: number;
}

export interface DrillEffect {
  readonly drill: ObjectRef;
  readonly target: string;
  /** Workloads (cluster namespace/service) it takes out of this host. */
  readonly removed: readonly string[];
}

interface Host {
  readonly identity: string;
  readonly env: string;
}

/** Each workload of the host, with the reason it is left out as seen from `from`. */
export function workloadVerdicts(index: FleetIndex, host: Host, workloads: readonly Workload[], from: ClusterName): { verdicts: WorkloadVerdict[]; drills: DrillEffect[] } {
  const drilledOut = new Map<Workload, string>();
  const drills = drillEffects(index, host, workloads.filter((w) => readyCount(w) > 0), drilledOut);
  const portNames = hostPorts(workloads).names;
  const verdicts = workloads.map((w) => {
    const cluster = index.clusters.byName.get(w.cluster) as MemberCluster;
    const reason = leftOutReason({ w, cluster, from, portNames, drilled: drilledOut.get(w) });
    const base = { cluster: w.cluster, namespace: w.namespace, service: w.service, ready: readyCount(w), locality: localityOf(cluster, w.readyByZone) };
    return reason === undefined ? base : { ...base, leftOut: reason };
  });
  return { verdicts, drills };
}

interface VerdictInput {
  readonly w: Workload;
  readonly cluster: MemberCluster;
  readonly from: ClusterName;
  readonly portNames: ReadonlySet<string>;
  readonly drilled: string | undefined;
}

function leftOutReason({ w, cluster, from, portNames, drilled }: VerdictInput): string | undefined {
  if (readyCount(w) === 0) return "no ready endpoints";
  if (drilled !== undefined) return drilled;
  if (!w.ports.some((p) => portNames.has(p.name))) return "port conflict: none of its ports is in the ServiceEntry (see the PortConflict problem)";
  if (w.cluster !== from && cluster.gateway === undefined) return `cluster ${w.cluster} has no east-west gateway (spec.gateway), so ${from} cannot reach it`;
  return undefined;
}

/** The drills in effect, in the order they apply, each with the workloads it takes out. */
function drillEffects(index: FleetIndex, host: Host, ready: readonly Workload[], drilledOut: Map<Workload, string>): DrillEffect[] {
  let serving = ready;
  const effects: DrillEffect[] = [];
  for (const drill of index.drills.filter((d) => drillCoversIdentity(d, host.identity))) {
    const left = applyDrills(index.clusters, [drill], host, serving).serving;
    const removed = serving.filter((w) => !left.includes(w));
    for (const w of removed) drilledOut.set(w, `evacuated by ${describeRef(drill.ref)} (${describeDrillTarget(drill)})`);
    effects.push({ drill: drill.ref, target: describeDrillTarget(drill), removed: removed.map((w) => `${w.cluster} ${w.namespace}/${w.service}`) });
    serving = left;
  }
  return effects;
}

/** The ServiceEntry's endpoints with the ready count behind each. */
export function endpointRows(endpoints: readonly ServiceEntryEndpoint[], verdicts: readonly WorkloadVerdict[]): EndpointRow[] {
  return endpoints.map((ep) => {
    const cluster = ep.labels[CLUSTER_LABEL] ?? "";
    // A Failover-mode endpoint carries its region as a label instead of a locality (endpoints.ts).
    const region = ep.labels[REGION_LABEL] ?? "";
    const matches = (v: WorkloadVerdict): boolean => (ep.locality === undefined ? v.locality.split("/")[0] === region : v.locality === ep.locality);
    const behind = verdicts.filter((v) => v.leftOut === undefined && v.cluster === cluster && matches(v));
    return { cluster, address: ep.address, ports: ep.ports, locality: ep.locality ?? region, ready: behind.reduce((n, v) => n + v.ready, 0) };
  });
}

/**
 * The order in which a client in `locality` (region/zone) reaches the endpoints under the
 * DestinationRule's localityLbSetting, as Istio applies it: one entry per priority step.
 */
export function failoverOrder(setting: LocalityLbSetting | undefined, locality: string, endpoints: readonly EndpointRow[]): string[] {
  const regionOf = (l: string): string => l.split("/")[0] ?? "";
  const regions = uniqueSorted(endpoints.map((e) => regionOf(e.locality)));
  if (setting?.distribute !== undefined) {
    return setting.distribute.flatMap((d) => Object.entries(d.to).map(([to, weight]) => `${weight}% to ${to.replace(/\/\*$/, "")}`));
  }
  const preferred = setting?.failoverPriority?.map((p) => p.split("=")[1] ?? "") ?? [];
  if (preferred.length > 0) return [...preferred.map((r) => `region ${r}`), ...rest(regions, preferred)];
  return topologyOrder(setting, locality, endpoints, regions);
}

function topologyOrder(setting: LocalityLbSetting | undefined, locality: string, endpoints: readonly EndpointRow[], regions: readonly string[]): string[] {
  const region = locality.split("/")[0] ?? "";
  const zoned = locality.includes("/");
  const sameZone = zoned && endpoints.some((e) => e.locality === locality);
  const restOfRegion = endpoints.some((e) => e.locality.split("/")[0] === region && !(zoned && e.locality === locality));
  const steps: string[] = [];
  if (sameZone) steps.push(`zone ${locality}`);
  if (restOfRegion) steps.push(zoned ? `region ${region} (other zones)` : `region ${region}`);
  const failover = (setting?.failover ?? []).filter((f) => f.from === region).map((f) => f.to);
  steps.push(...failover.map((r) => `region ${r} (failover)`));
  return [...steps, ...rest(regions, [region, ...failover])];
}

function rest(regions: readonly string[], taken: readonly string[]): string[] {
  const others = regions.filter((r) => !taken.includes(r));
  return others.length === 0 ? [] : [`then any of ${others.map((r) => `region ${r}`).join(", ")}`];
}
