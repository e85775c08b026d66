// What status reporting reads of the fleet in one report: the graph's snapshot, the planner's desired
// objects and problems, and the digests of what was written in each cluster, with the answers that
// several objects ask for (where an identity runs, whether it is written in a cluster) computed once.
// Pure: a function of its inputs; the memos live only as long as one report.
import type { GeneratedObject } from "../../crds/istio.js";
import type { GraphSnapshot, ObjectRef, Workload } from "../../federation/graph/model.js";
import type { Problem } from "../core/index.js";
import { indexPolicies } from "../core/index-policies.js";
import type { IdentityPolicies } from "../core/index-policies.js";
import { conflictOf } from "../queue/written-state.js";
import { desiredDigest } from "../reconcile/desired-digest.js";
import { compareStrings } from "../../crds/compare.js";

/** The objects one identity should have in one cluster, and all problems of the identity's plan. */
export interface DesiredObjects {
  readonly objects: readonly GeneratedObject[];
  readonly problems: readonly Problem[];
}

export type DesiredFor = (cluster: string, identity: string) => DesiredObjects;

/** cluster → identity → digest of the objects last written there (see controller/queue/written-state.ts). */
export type WrittenByCluster = ReadonlyMap<string, ReadonlyMap<string, string>>;

export interface StatusInputs {
  readonly snapshot: GraphSnapshot;
  readonly desiredFor: DesiredFor;
  readonly written: WrittenByCluster;
}

export const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort(compareStrings);

export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return a.kind === b.kind && (a.namespace ?? "") === (b.namespace ?? "") && a.name === b.name;
}

export class FleetView {
  /** Every member cluster, sorted. */
  readonly clusters: readonly string[];
  /** Registered clusters not synced now (their routes are held), sorted. */
  readonly pendingClusters: readonly string[];
  private readonly inputs: StatusInputs;
  /** Workloads the planner can use (known cluster, at least one port), by identity. */
  private readonly workloads = new Map<string, Workload[]>();
  private readonly writtenMemo = new Map<string, boolean>();
  private readonly problemsMemo = new Map<string, readonly Problem[]>();
  private readonly policiesMemo = new Map<string, IdentityPolicies>();

  constructor(inputs: StatusInputs) {
    this.inputs = inputs;
    this.clusters = sortedUnique(inputs.snapshot.clusters.map((c) => c.name));
    this.pendingClusters = sortedUnique(inputs.snapshot.pendingClusters ?? []);
    const known = new Set(this.clusters);
    for (const w of inputs.snapshot.workloads) {
      if (!known.has(w.cluster) || w.ports.length === 0) continue;
      const list = this.workloads.get(w.identity);
      if (list === undefined) this.workloads.set(w.identity, [w]);
      else list.push(w);
    }
  }

  /** Clusters where `identity` runs (in `env` when given), sorted. */
  clustersOf(identity: string, env?: string): string[] {
    return sortedUnique(this.workloadsOf(identity, env).map((w) => w.cluster));
  }

  /** The envs `identity` runs in, sorted. */
  envsOf(identity: string): string[] {
    return sortedUnique(this.workloadsOf(identity).map((w) => w.env));
  }

  /** Every identity that runs somewhere (in `env` when given), sorted. */
  identities(env?: string): string[] {
    return sortedUnique([...this.workloads.keys()].filter((identity) => this.workloadsOf(identity, env).length > 0));
  }

  objectsIn(cluster: string, identity: string): readonly GeneratedObject[] {
    return this.inputs.desiredFor(cluster, identity).objects;
  }

  /** The last reconcile of (cluster, identity) wrote what the planner wants now (nothing wanted and nothing recorded counts). */
  /** The unowned object that took a name the identity needs in the cluster (`Kind namespace/name`), if its last reconcile found one. */
  conflictIn(cluster: string, identity: string): string | undefined {
    return conflictOf(this.inputs.written.get(cluster)?.get(identity));
  }

  isWritten(cluster: string, identity: string): boolean {
    const key = `${cluster}\u0000${identity}`;
    let written = this.writtenMemo.get(key);
    if (written === undefined) {
      written = this.inputs.written.get(cluster)?.get(identity) === desiredDigest(this.objectsIn(cluster, identity));
      this.writtenMemo.set(key, written);
    }
    return written;
  }

  /** Problems of the identity's plan that belong on `ref`. */
  problemsOn(identity: string, ref: ObjectRef): Problem[] {
    let problems = this.problemsMemo.get(identity);
    if (problems === undefined) {
      // Problems are the same whatever the cluster: they belong to the identity's whole plan.
      problems = this.inputs.desiredFor(this.clusters[0] ?? "", identity).problems;
      this.problemsMemo.set(identity, problems);
    }
    return problems.filter((p) => sameRef(p.object, ref));
  }

  /** The identity's TrafficPolicies with the planner's conflict rule applied. */
  policiesOf(identity: string): IdentityPolicies {
    let policies = this.policiesMemo.get(identity);
    if (policies === undefined) {
      policies = indexPolicies(this.inputs.snapshot.policies.filter((p) => p.identity === identity)).get(identity) ?? { winners: new Map(), policies: [], conflicts: [] };
      this.policiesMemo.set(identity, policies);
    }
    return policies;
  }

  private workloadsOf(identity: string, env?: string): Workload[] {
    const all = this.workloads.get(identity) ?? [];
    return env === undefined ? all : all.filter((w) => w.env === env);
  }
}
