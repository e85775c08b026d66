// `meridian drill plan`: what a failover drill would change before it runs. The plan of the fleet as
// it is and with the drill in effect, compared host by host in every cluster, and the preflight
// verdict: refused when the drill would leave an identity with no endpoints anywhere, names an
// unknown region or cluster, or overlaps a drill already running. Pure.
import { compareStrings } from "./compare.js";
import { drillCoversCluster, drillCoversIdentity, describeDrillTarget } from "./index-drills.js";
import type { Drill, MemberCluster, PlanInput, Plan } from "./model.js";
import { IDENTITY_LABEL } from "./names.js";
import { plan } from "./plan.js";
import { describeRef } from "./problems.js";

export interface DrillRoute {
  readonly cluster: string;
  readonly identity: string;
  readonly host: string;
  /** The host's ServiceEntry in that cluster. */
  readonly name: string;
  /** Endpoints as `address locality`, sorted. */
  readonly now: readonly string[];
  readonly during: readonly string[];
}

export interface DrillPlan {
  readonly verdict: "Ready" | "Refused";
  /** Why it is refused (empty when ready). */
  readonly reasons: readonly string[];
  readonly affectedIdentities: readonly string[];
  readonly affectedClusters: readonly string[];
  /** Every host whose endpoints the drill changes, by cluster. */
  readonly routes: readonly DrillRoute[];
}

/** `input.drills` may hold the drill itself (a running drill): "now" is the plan without it. */
export function planDrill(input: PlanInput, drill: Drill): DrillPlan {
  const others = input.drills.filter((d) => !sameRef(d, drill));
  const before = plan({ ...input, drills: others });
  const drills = [...others, drill].sort((a, b) => compareStrings(refKey(a), refKey(b)));
  const after = plan({ ...input, drills });
  const routes = changedRoutes(before, after);
  const reasons = [
    ...after.problems.filter((p) => p.object.kind === "FailoverDrill" && p.object.name === drill.ref.name && p.object.namespace === drill.ref.namespace).map((p) => p.message),
    ...overlaps(input, drill),
    ...identitiesNotRunning(input, drill),
  ].map((reason) => withoutOwnRef(reason, drill));
  return {
    verdict: reasons.length === 0 ? "Ready" : "Refused",
    reasons,
    affectedIdentities: [...new Set(routes.map((r) => r.identity))].sort(compareStrings),
    affectedClusters: [...new Set(routes.map((r) => r.cluster))].sort(compareStrings),
    routes,
  };
}

/** Every reason is about this drill: the planner's "FailoverDrill ns/name: " prefix says nothing here. */
function withoutOwnRef(reason: string, drill: Drill): string {
  const prefix = `${describeRef(drill.ref)}: `;
  return reason.startsWith(prefix) ? reason.slice(prefix.length) : reason;
}

/** Named identities that run in no registered cluster (a typo, or another identity label): the drill would do nothing for them. */
function identitiesNotRunning(input: PlanInput, drill: Drill): string[] {
  const running = new Set(input.workloads.map((w) => w.identity));
  return (drill.identities ?? [])
    .filter((identity) => !running.has(identity))
    .map((identity) => `identity ${identity} runs in no registered cluster (no Service carries it); the drill would change nothing for it`);
}

const refKey = (d: Drill): string => `${d.ref.namespace ?? ""}/${d.ref.name}`;
const sameRef = (a: Drill, b: Drill): boolean => refKey(a) === refKey(b);

function changedRoutes(before: Plan, after: Plan): DrillRoute[] {
  const routes: DrillRoute[] = [];
  for (const clusterPlan of after.clusters) {
    const old = new Map((before.clusters.find((c) => c.cluster === clusterPlan.cluster)?.serviceEntries ?? []).map((se) => [se.metadata.name, se]));
    for (const entry of clusterPlan.serviceEntries) {
      const now = endpointsOf(old.get(entry.metadata.name));
      const during = endpointsOf(entry);
      if (JSON.stringify(now) === JSON.stringify(during)) continue;
      routes.push({ cluster: clusterPlan.cluster, identity: entry.metadata.labels[IDENTITY_LABEL] ?? "", host: entry.spec.hosts[0] ?? "", name: entry.metadata.name, now, during });
    }
  }
  return routes;
}

function endpointsOf(entry: { spec: { endpoints: readonly { address: string; locality?: string }[] } } | undefined): string[] {
  return (entry?.spec.endpoints ?? []).map((e) => `${e.address} ${e.locality ?? ""}`.trim()).sort(compareStrings);
}

/** Running drills that cover a cluster this one covers, for an identity this one covers. */
function overlaps(input: PlanInput, drill: Drill): string[] {
  const covered = (d: Drill): MemberCluster[] => input.clusters.filter((c) => drillCoversCluster(d, c));
  const mine = new Set(covered(drill).map((c) => c.name));
  return input.drills
    .filter((other) => !sameRef(other, drill))
    .filter((other) => covered(other).some((c) => mine.has(c.name)) && identitiesMeet(other, drill))
    .map((other) => `${describeRef(drill.ref)}: overlaps ${describeRef(other.ref)}, which is evacuating ${describeDrillTarget(other)}; run one drill at a time there`);
}

function identitiesMeet(a: Drill, b: Drill): boolean {
  const all = (d: Drill): boolean => d.identities === undefined || d.identities.length === 0;
  if (all(a) || all(b)) return true;
  return (a.identities ?? []).some((identity) => drillCoversIdentity(b, identity));
}
