// The planner's view of the graph for the reconciler: the fleet index built from the graph's
// snapshot, rebuilt only when the snapshot object changes (the graph caches it until a change), and
// each identity's plan kept until then. No I/O: everything here is a function of the snapshot.
import type { GeneratedObject } from "../../crds/istio.js";
import { fleetIdentities, indexFleet, planIdentity } from "../core/index.js";
import type { FleetIndex, Plan, PlanInput, PlannerOptions, Problem } from "../core/index.js";

/** What the planner cache reads: the identity graph (or anything with the same snapshot). */
export interface SnapshotSource {
  snapshot(): Omit<PlanInput, "options">;
}

/** The objects one identity should have in one cluster, and the identity's problems. */
export interface DesiredObjects {
  readonly objects: readonly GeneratedObject[];
  readonly problems: readonly Problem[];
}

export class PlannerCache {
  private readonly graph: SnapshotSource;
  private readonly options: PlannerOptions;
  private snapshot: Omit<PlanInput, "options"> | undefined;
  private index: FleetIndex | undefined;
  private readonly plans = new Map<string, Plan>();
  /** desiredFor's answers: the same objects array until the snapshot changes (digests are memoised by it). */
  private readonly desired = new Map<string, DesiredObjects>();

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
    const key = `${cluster}\u0000${identity}`;
    let desired = this.desired.get(key);
    if (desired === undefined) {
      const clusterPlan = plan.clusters.find((entry) => entry.cluster === cluster);
      const objects = clusterPlan === undefined ? [] : [...clusterPlan.serviceEntries, ...clusterPlan.destinationRules];
      desired = { objects, problems: plan.problems };
      this.desired.set(key, desired);
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
    if (this.index === undefined || snapshot !== this.snapshot) {
      this.snapshot = snapshot;
      this.index = indexFleet({ ...snapshot, options: this.options });
      this.plans.clear();
      this.desired.clear();
    }
    return this.index;
  }
}
