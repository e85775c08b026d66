// The workloads of one identity, checked against the member clusters: those the planner can use,
// sorted, and a problem for each one it cannot.
import { canonical, canonicalSet, compareKeys } from "./compare.js";
import type { ClusterName, MemberCluster, Problem, Workload } from "./model.js";
import { problem } from "./problems.js";

export interface IdentityWorkloads {
  /** Usable workloads sorted by env, cluster, namespace and Service. */
  readonly workloads: readonly Workload[];
  readonly problems: readonly Problem[];
}

export const NO_WORKLOADS: IdentityWorkloads = { workloads: [], problems: [] };

const workloadKey = (w: Workload): string[] => [w.env, w.cluster, w.namespace, w.service];

export function checkWorkloads(
  clusters: ReadonlyMap<ClusterName, MemberCluster>,
  workloads: readonly Workload[],
): IdentityWorkloads {
  if (workloads.length === 0) return NO_WORKLOADS;
  const sorted = sortWorkloads(workloads);
  const usable: Workload[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const w of sorted) {
    const reason = rejection(clusters, w, seen);
    if (reason === undefined) usable.push(w);
    else problems.push(reason);
  }
  return { workloads: usable, problems };
}

function sortWorkloads(workloads: readonly Workload[]): Workload[] {
  const keyed = workloads.map((w) => ({ w, key: workloadKey(w) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key) || compareKeys([canonicalWorkload(a.w)], [canonicalWorkload(b.w)]));
  return keyed.map((k) => k.w);
}

/** Only breaks ties between copies of one Service; port order carries no meaning. */
const canonicalWorkload = (w: Workload): string => canonical({ ...w, ports: canonicalSet(w.ports) });

function rejection(clusters: ReadonlyMap<ClusterName, MemberCluster>, w: Workload, seen: Set<string>): Problem | undefined {
  const ref = { kind: "Service", namespace: w.namespace, name: w.service };
  const where = `Service ${w.namespace}/${w.service} in cluster ${w.cluster} (identity ${w.identity}, env ${w.env})`;
  if (!clusters.has(w.cluster)) {
    return problem("UnknownCluster", ref, `${where}: field cluster names no registered MeshCluster; the workload is ignored`);
  }
  if (w.ports.length === 0) {
    return problem("WorkloadWithoutPorts", ref, `${where}: field ports is empty; the workload is ignored`);
  }
  const key = `${w.cluster}\u0000${w.namespace}\u0000${w.service}`;
  if (seen.has(key)) {
    return problem("DuplicateWorkload", ref, `${where}: the same Service is listed more than once; only the first in canonical order is used`);
  }
  seen.add(key);
  return undefined;
}

/** Total ready endpoints of a workload (negative counts read as zero). */
export function readyCount(w: Workload): number {
  let total = 0;
  for (const n of Object.values(w.readyByZone)) total += n > 0 ? n : 0;
  return total;
}
