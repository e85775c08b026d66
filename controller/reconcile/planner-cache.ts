// The planner's view of the graph for the reconciler: the fleet index built from the graph's
// snapshot and each identity's plan, kept until the snapshot object changes (the graph caches it until
// a change). When only workloads changed since the index was built (the graph says which identities),
// the index takes those identities' new workloads (`withWorkloads`) and only the identities they
// affect (`identitiesAffectedBy`: themselves, what they call, who calls them) are planned again; any
// other change re-indexes the whole fleet. The property test (planner-cache.test.ts) keeps the two
// equal. No I/O: everything here is a function of the snapshot.
import type { GeneratedObject } from "../../crds/istio.js";
import { fleetIdentities, identitiesAffectedBy, indexFleet, planIdentity, withWorkloads } from "../core/index.js";
import type { FleetIndex, Plan, PlanInput, PlannerOptions, Problem, Workload } from "../core/index.js";

type Snapshot = Omit<PlanInput, "options">;

/** What the planner cache reads: the identity graph (or anything with the same snapshot). */
export interface SnapshotSource {
  snapshot(): Snapshot;
  /** The identities whose workloads changed since `snapshot`, when nothing else did; undefined otherwise. */
  workloadChangesSince?(snapshot: Snapshot): ReadonlySet<string> | undefined;
  /** One identity's current workloads, in the snapshot's order. */
  workloadsOf?(identity: string): readonly Workload[];
}

/** The objects one identity should have in one cluster, and the identity's problems. */
export interface DesiredObjects {
  readonly objects: readonly GeneratedObject[];
  readonly problems: readonly Problem[];
}

export class PlannerCache {
  private readonly graph: SnapshotSource;
  private readonly options: PlannerOptions;
  private snapshot: Snapshot | undefined;
  private index: FleetIndex | undefined;
  private readonly plans = new Map<string, Plan>();
  /** desiredFor's answers by identity and cluster: the same objects array until the identity is re-planned (digests are memoised by it). */
  private readonly desired = new Map<string, Map<string, DesiredObjects>>();

  constructor(graph: SnapshotSource, options: PlannerOptions) {
    this.graph = graph;
    this.options = options;
  }

  /** Where generated objects live in every member cluster. */
  get syncNamespace(): string {
    return this.options.syncNamespace;
  }

  /**
   * ServiceEntries, then DestinationRules, of `identity` in `cluster` (none if the cluster is unknown).
   * The same object for the same snapshot: callers must not change it.
   */
  desiredFor(cluster: string, identity: string): DesiredObjects {
    const plan = this.planOf(identity);
    const byCluster = this.desired.get(identity) ?? new Map<string, DesiredObjects>();
    this.desired.set(identity, byCluster);
    let desired = byCluster.get(cluster);
    if (desired === undefined) {
      const clusterPlan = plan.clusters.find((entry) => entry.cluster === cluster);
      const objects = clusterPlan === undefined ? [] : [...clusterPlan.serviceEntries, ...clusterPlan.destinationRules];
      desired = { objects, problems: plan.problems };
      byCluster.set(cluster, desired);
    }
    return desired;
  }

  /** The clusters where `identity` has objects in the plan (ServiceEntries or DestinationRules). */
  placedIn(identity: string): string[] {
    return this.planOf(identity)
      .clusters.filter((entry) => entry.serviceEntries.length + entry.destinationRules.length > 0)
      .map((entry) => entry.cluster);
  }

  /** Every identity the graph names (running somewhere, or named by a dependency, policy or drill), sorted. */
  identities(): string[] {
    return fleetIdentities(this.currentIndex());
  }

  private planOf(identity: string): Plan {
    const index = this.currentIndex();
    let plan = this.plans.get(identity);
    if (plan === undefined) {
      plan = planIdentity(index, identity);
      this.plans.set(identity, plan);
    }
    return plan;
  }

  private currentIndex(): FleetIndex {
    const snapshot = this.graph.snapshot();
    if (this.index !== undefined && snapshot === this.snapshot) return this.index;
    const changed = this.snapshot === undefined ? undefined : this.graph.workloadChangesSince?.(this.snapshot);
    const workloadsOf = this.graph.workloadsOf?.bind(this.graph);
    this.snapshot = snapshot;
    if (this.index !== undefined && changed !== undefined && workloadsOf !== undefined) {
      this.index = this.withChangedWorkloads(this.index, changed, workloadsOf);
    } else {
      this.index = indexFleet({ ...snapshot, options: this.options });
      this.plans.clear();
      this.desired.clear();
    }
    return this.index;
  }

  /** The index with the identities' new workloads; the plans they may change are forgotten. */
  private withChangedWorkloads(index: FleetIndex, identities: ReadonlySet<string>, workloadsOf: (identity: string) => readonly Workload[]): FleetIndex {
    let next = index;
    for (const identity of identities) {
      // What an identity affects does not depend on workloads: the old index answers as the new would.
      for (const affected of identitiesAffectedBy(index, identity)) {
        this.plans.delete(affected);
        this.desired.delete(affected);
      }
      next = withWorkloads(next, identity, workloadsOf(identity));
    }
    return next;
  }
}
