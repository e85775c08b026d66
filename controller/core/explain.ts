// `meridian explain IDENTITY --from CLUSTER`: where traffic for a host goes from one cluster, and
// why. Pure: the planner's input and its plan in, facts and sentences out. Every verdict comes from
// the plan or from the planner's own functions; this file only gathers and words them.
import type { DestinationRule, ServiceEntry } from "../../crds/istio.js";
import { uniqueSorted } from "./compare.js";
import { type DrillEffect, type EndpointRow, endpointRows, failoverOrder, type WorkloadVerdict, workloadVerdicts } from "./explain-endpoints.js";
import { describeReason, type PlacementReason, placementFacts, type UnusedDependency } from "./explain-placement.js";
import { type FleetIndex, indexFleet, workloadsOf } from "./fleet-index.js";
import { policyFor } from "./index-policies.js";
import type { ClusterName, MemberCluster, ObjectRef, Plan, PlanInput, Problem, Workload } from "./model.js";
import { destinationRuleName, globalHost, serviceEntryName } from "./names.js";
import { placeHost } from "./placement.js";
import { describeRef } from "./problems.js";

export interface ExplainQuery {
  readonly identity: string;
  /** Omitted: every env the identity runs in. */
  readonly env?: string;
  readonly from: ClusterName;
  /** The client's namespace in that cluster: whether the host's objects are exported to it. */
  readonly namespace?: string;
}

/** Whether a namespace in the cluster sees the host (the ServiceEntry's exportTo). */
export interface Visibility {
  readonly namespace: string;
  readonly visible: boolean;
  /** Undefined: exported to every namespace. */
  readonly exportTo?: readonly string[];
}

export interface HostExplanation {
  readonly env: string;
  readonly host: string;
  readonly serviceEntry: string;
  readonly destinationRule: string;
  /** The plan has the host's ServiceEntry in the cluster. */
  readonly placed: boolean;
  /** Plain sentences: the verdict first, then why. */
  readonly because: readonly string[];
  readonly placement: readonly PlacementReason[];
  readonly unusedDependencies: readonly UnusedDependency[];
  readonly endpoints: readonly EndpointRow[];
  readonly workloads: readonly WorkloadVerdict[];
  readonly failover: FailoverExplanation;
  readonly drills: readonly DrillEffect[];
  readonly visibility?: Visibility;
}

export interface FailoverExplanation {
  /** The TrafficPolicy that applies, or undefined: the default (Topology). */
  readonly policy?: ObjectRef;
  readonly mode: string;
  /** Priority steps for a client in the cluster's locality. */
  readonly order: readonly string[];
}

export interface Explanation {
  readonly identity: string;
  readonly from: ClusterName;
  /** `region/zone` of the cluster, or undefined when it is not in the fleet. */
  readonly locality?: string;
  readonly notes: readonly string[];
  readonly hosts: readonly HostExplanation[];
  /** The plan's problems that mention the identity or one of its hosts. */
  readonly problems: readonly Problem[];
}

export function explain(input: PlanInput, plan: Plan, query: ExplainQuery): Explanation {
  const index = indexFleet(input);
  const cluster = index.clusters.byName.get(query.from);
  const workloads = workloadsOf(index, query.identity);
  const envs = query.env === undefined ? uniqueSorted(workloads.map((w) => w.env)) : [query.env];
  const notes: string[] = [];
  if (cluster === undefined) notes.push(`Cluster ${query.from} is not in the fleet: it is not registered, or its workloads have not synced (see meridian cluster status ${query.from}).`);
  if (workloads.length === 0) notes.push(`Identity ${query.identity} runs in no registered cluster that has synced: no host of it is placed anywhere.`);
  const hosts = cluster === undefined ? [] : envs.map((env) => withVisibility(explainHost(index, plan, { identity: query.identity, env, cluster }), plan, query));
  const base = { identity: query.identity, from: query.from, notes, hosts, problems: problemsOf(plan, query.identity, hosts) };
  return cluster === undefined ? base : { ...base, locality: clusterLocality(cluster) };
}

interface HostQuery {
  readonly identity: string;
  readonly env: string;
  readonly cluster: MemberCluster;
}

function explainHost(index: FleetIndex, plan: Plan, q: HostQuery): HostExplanation {
  const host = globalHost(q.identity, q.env, index.options.hostSuffix);
  const names = { serviceEntry: serviceEntryName(host), destinationRule: destinationRuleName(host) };
  const objects = objectsIn(plan, q.cluster.name, names);
  const hostWorkloads = workloadsOf(index, q.identity).filter((w) => w.env === q.env);
  const at = { identity: q.identity, env: q.env, cluster: q.cluster.name };
  const facts = placementFacts(index, at, hostWorkloads);
  const { verdicts, drills } = workloadVerdicts(index, at, hostWorkloads, q.cluster.name);
  const endpoints = endpointRows(objects.serviceEntry?.spec.endpoints ?? [], verdicts);
  const policy = policyFor(index.policies.get(q.identity), q.env);
  const setting = objects.destinationRule?.spec.trafficPolicy.loadBalancer.localityLbSetting;
  const failover = { ...(policy === undefined ? {} : { policy: policy.ref }), mode: policy?.mode ?? "Topology", order: failoverOrder(setting, clusterLocality(q.cluster), endpoints) };
  const wanted = placeHost(index, q.identity, q.env, hostWorkloads).has(q.cluster.name);
  const because = sentences({ host, at, placed: objects.serviceEntry !== undefined, wanted, facts: facts.reasons, unused: facts.unused, hostWorkloads, verdicts });
  return { env: q.env, host, ...names, placed: objects.serviceEntry !== undefined, because, placement: facts.reasons, unusedDependencies: facts.unused, endpoints, workloads: verdicts, failover, drills };
}

function withVisibility(host: HostExplanation, plan: Plan, query: ExplainQuery): HostExplanation {
  if (query.namespace === undefined || !host.placed) return host;
  const exportTo = objectsIn(plan, query.from, host).serviceEntry?.spec.exportTo;
  const visible = exportTo === undefined || exportTo.includes("*") || exportTo.includes(query.namespace);
  return { ...host, visibility: { namespace: query.namespace, visible, ...(exportTo === undefined ? {} : { exportTo }) } };
}

function objectsIn(plan: Plan, cluster: ClusterName, names: { serviceEntry: string; destinationRule: string }): { serviceEntry?: ServiceEntry; destinationRule?: DestinationRule } {
  const clusterPlan = plan.clusters.find((c) => c.cluster === cluster);
  const serviceEntry = clusterPlan?.serviceEntries.find((o) => o.metadata.name === names.serviceEntry);
  const destinationRule = clusterPlan?.destinationRules.find((o) => o.metadata.name === names.destinationRule);
  return { ...(serviceEntry === undefined ? {} : { serviceEntry }), ...(destinationRule === undefined ? {} : { destinationRule }) };
}

interface SentenceFacts {
  readonly host: string;
  readonly at: { identity: string; env: string; cluster: ClusterName };
  readonly placed: boolean;
  readonly wanted: boolean;
  readonly facts: readonly PlacementReason[];
  readonly unused: readonly UnusedDependency[];
  readonly hostWorkloads: readonly Workload[];
  readonly verdicts: readonly WorkloadVerdict[];
}

function sentences(f: SentenceFacts): string[] {
  const why = f.facts.map((r) => `Because ${describeReason(r, f.at)}.`);
  const unused = f.unused.map((u) => `${describeRef(u.dependency)} names it, but ${u.why}.`);
  if (f.placed) return [`${f.host} is placed in ${f.at.cluster}.`, ...why];
  if (f.hostWorkloads.length === 0) return [`${f.host} is not placed in ${f.at.cluster}: ${f.at.identity} does not run in env ${f.at.env} in any synced cluster.`, ...unused];
  if (!f.wanted) return [`${f.host} is not placed in ${f.at.cluster}: ${f.at.identity} does not run there and no ServiceDependency whose source runs there names it.`, ...unused];
  const serving = f.verdicts.filter((v) => v.leftOut === undefined).length;
  const what = serving === 0 ? "it has no endpoint that can serve (every workload is left out, see below)" : `no endpoint is reachable from ${f.at.cluster}`;
  return [`${f.host} is wanted in ${f.at.cluster} but not placed: ${what}; Meridian never writes a ServiceEntry without endpoints.`, ...why];
}

const clusterLocality = (c: MemberCluster): string => (c.zone === "" ? c.region : `${c.region}/${c.zone}`);

function problemsOf(plan: Plan, identity: string, hosts: readonly HostExplanation[]): Problem[] {
  const refs = new Set(hosts.flatMap((h) => [...h.placement.flatMap((p) => (p.kind === "Dependency" ? [describeRef(p.dependency)] : [])), ...h.drills.map((d) => describeRef(d.drill)), ...(h.failover.policy === undefined ? [] : [describeRef(h.failover.policy)])]));
  const hostNames = hosts.map((h) => h.host);
  const names = (message: string): boolean => mentionsIdentity(message, identity) || hostNames.some((h) => message.includes(h));
  return plan.problems.filter((p) => refs.has(describeRef(p.object)) || names(p.message));
}

/** `identity payments` as a whole word (not `identity payments-v2`). */
function mentionsIdentity(message: string, identity: string): boolean {
  const at = message.indexOf(`identity ${identity}`);
  if (at < 0) return false;
  const next = message.charAt(at + `identity ${identity}`.length);
  return !/[a-z0-9.-]/.test(next) || (next === "." && !/[a-z0-9]/.test(message.charAt(at + `identity ${identity}`.length + 1)));
}
