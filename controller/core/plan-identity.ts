// Identity-scoped planning (rule 7): everything one identity contributes to the fleet's plan,
// so a change can be re-planned for the identities it touches and nothing else.
import { identityWorkloads, type FleetIndex, workloadsOf } from "./fleet-index.js";
import { WILDCARD } from "./index-dependencies.js";
import type { Plan, Problem, Workload } from "./model.js";
import { planHost, type PlanSink } from "./plan-host.js";
import { CollectingSink } from "./plan-sink.js";
import { identityPolicyProblems } from "./policy-problems.js";
import { destinationRuleName, globalHost, serviceEntryName } from "./names.js";
import { describeRef, problem } from "./problems.js";

/**
 * The objects of every env of `identity` in every member cluster (each cluster listed, maybe
 * empty) and the problems of the identity, its policies and the dependencies it declares.
 */
export function planIdentity(index: FleetIndex, identity: string): Plan {
  const sink = new CollectingSink();
  collectIdentity(index, identity, sink);
  return sink.toPlan(index.clusters.names);
}

/** One host (identity, env) to plan, with its workloads and the names of its objects. */
export interface HostWork {
  readonly identity: string;
  readonly env: string;
  readonly workloads: readonly Workload[];
  readonly serviceEntryName: string;
  readonly destinationRuleName: string;
}

/** The hosts of an identity and the problems of the identity, its policies and its dependencies. */
export function identityWork(index: FleetIndex, identity: string): { problems: Problem[]; hosts: HostWork[] } {
  const { workloads, problems } = identityWorkloads(index, identity);
  const hosts: HostWork[] = [];
  let start = 0;
  // Workloads are sorted by env first: each run of one env is one host.
  for (let i = 1; i <= workloads.length; i++) {
    const env = (workloads[start] as Workload).env;
    if (i < workloads.length && (workloads[i] as Workload).env === env) continue;
    const host = globalHost(identity, env, index.options.hostSuffix);
    hosts.push({ identity, env, workloads: workloads.slice(start, i), serviceEntryName: serviceEntryName(host), destinationRuleName: destinationRuleName(host) });
    start = i;
  }
  return { problems: [...problems, ...identityPolicyProblems(index, identity, workloads), ...dependencyProblems(index, identity)], hosts };
}

export function collectIdentity(index: FleetIndex, identity: string, sink: PlanSink): void {
  const { problems, hosts } = identityWork(index, identity);
  sink.problems.push(...problems);
  for (const host of hosts) planHost(index, host, host.workloads, sink);
}

/**
 * UnknownDestination for each destination of the identity's dependencies that runs nowhere; while
 * clusters are pending, ClusterNotSynced instead for a destination that may run there (it runs in no
 * synced cluster, or in a pending one): its routes are kept as they are until they sync.
 */
function dependencyProblems(index: FleetIndex, identity: string): Problem[] {
  const problems: Problem[] = [];
  for (const dep of index.dependencies.bySource.get(identity) ?? []) {
    for (const dest of dep.destinations) {
      if (dest.identity === WILDCARD) continue;
      const workloads = workloadsOf(index, dest.identity);
      const pending = pendingProblem(index, workloads, dest.identity);
      const reason = unknownDestination(workloads, dest.identity, dest.env);
      if (pending !== undefined) {
        problems.push(problem("ClusterNotSynced", dep.ref, `${describeRef(dep.ref)}: field spec.destinations names ${pending}`));
      } else if (reason !== undefined) {
        problems.push(problem("UnknownDestination", dep.ref, `${describeRef(dep.ref)}: field spec.destinations names ${reason}; nothing is written for it`));
      }
    }
  }
  return problems;
}

function pendingProblem(index: FleetIndex, workloads: readonly Workload[], identity: string): string | undefined {
  const pending = index.pendingClusters;
  if (pending.length === 0) return undefined;
  const list = pending.join(", ");
  const kept = "its existing routes are kept everywhere until they sync or their registration is removed";
  if (workloads.length === 0) return `identity ${identity}, which runs in no synced cluster while cluster(s) ${list} have not synced: ${kept}`;
  const inPending = [...new Set(workloads.map((w) => w.cluster).filter((cluster) => pending.includes(cluster)))];
  if (inPending.length === 0) return undefined;
  return `identity ${identity}, which runs in cluster(s) ${inPending.join(", ")}, not synced now (watches failing): ${kept}`;
}

function unknownDestination(workloads: readonly Workload[], identity: string, env: string | undefined): string | undefined {
  if (workloads.length === 0) return `identity ${identity}, which runs in no registered cluster`;
  if (env === undefined || workloads.some((w) => w.env === env)) return undefined;
  const envs = [...new Set(workloads.map((w) => w.env))].join(", ");
  return `env ${env} of identity ${identity}, which runs only in env ${envs}`;
}
