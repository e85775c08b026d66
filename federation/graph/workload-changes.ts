// What changed between two snapshots of the graph, when only workloads did: the planner cache then
// replaces those identities' workloads in its index instead of re-indexing the whole fleet. Every
// change of the graph is one revision; a revision that changed anything but workloads (a cluster's
// attributes, a cluster joining or leaving or becoming pending, a dependency, policy or drill) has no
// identity set and makes the answer "everything". The log keeps the last MAX_REVISIONS revisions.
// Also holds each identity's workloads by cluster, so one identity's list is read without a scan.
import { compareStrings } from "../compare.js";
import type { ClusterName, Workload } from "../graph-model.js";

const MAX_REVISIONS = 1024;

interface Revision {
  readonly revision: number;
  /** The identities whose workloads changed; undefined: something else changed. */
  readonly identities: ReadonlySet<string> | undefined;
}

export class WorkloadChanges {
  private revision = 0;
  private readonly revisions: Revision[] = [];
  private readonly stamped = new WeakMap<object, number>();
  private readonly byIdentity = new Map<string, Map<ClusterName, readonly Workload[]>>();

  /** One change of the graph: `identities` when only their workloads changed, undefined otherwise. */
  record(identities: ReadonlySet<string> | undefined): void {
    this.revision += 1;
    this.revisions.push({ revision: this.revision, identities });
    if (this.revisions.length > MAX_REVISIONS) this.revisions.shift();
  }

  /** Marks `snapshot` as the graph's state at the current revision. */
  stamp(snapshot: object): void {
    this.stamped.set(snapshot, this.revision);
  }

  /** The identities whose workloads changed since `snapshot`, or undefined when anything else did (or it is unknown). */
  since(snapshot: object): ReadonlySet<string> | undefined {
    const from = this.stamped.get(snapshot);
    if (from === undefined) return undefined;
    const first = this.revisions[0];
    if (from < this.revision && (first === undefined || first.revision > from + 1)) return undefined;
    const identities = new Set<string>();
    for (const { revision, identities: changed } of this.revisions) {
      if (revision <= from) continue;
      if (changed === undefined) return undefined;
      for (const identity of changed) identities.add(identity);
    }
    return identities;
  }

  /** Replaces one cluster's workloads in the per-identity index (an empty list: the cluster left). */
  setClusterWorkloads(cluster: ClusterName, before: readonly Workload[], after: readonly Workload[]): void {
    const next = groupByIdentity(after);
    for (const identity of new Set([...before.map((w) => w.identity), ...next.keys()])) {
      const clusters = this.byIdentity.get(identity) ?? new Map<ClusterName, readonly Workload[]>();
      const list = next.get(identity);
      if (list === undefined) clusters.delete(cluster);
      else clusters.set(cluster, list);
      if (clusters.size === 0) this.byIdentity.delete(identity);
      else this.byIdentity.set(identity, clusters);
    }
  }

  /** Every workload of `identity`, in the snapshot's order (env, cluster, namespace, Service). */
  workloadsOf(identity: string): Workload[] {
    return [...(this.byIdentity.get(identity)?.values() ?? [])].flat().sort(compareWorkloads);
  }
}

function groupByIdentity(workloads: readonly Workload[]): Map<string, Workload[]> {
  const groups = new Map<string, Workload[]>();
  for (const w of workloads) {
    const list = groups.get(w.identity);
    if (list === undefined) groups.set(w.identity, [w]);
    else list.push(w);
  }
  return groups;
}

export function compareWorkloads(a: Workload, b: Workload): number {
  return (
    compareStrings(a.identity, b.identity) ||
    compareStrings(a.env, b.env) ||
    compareStrings(a.cluster, b.cluster) ||
    compareStrings(a.namespace, b.namespace) ||
    compareStrings(a.service, b.service)
  );
}
