// Collects planned objects per cluster and turns them into a sorted Plan.
import type { DestinationRule, ServiceEntry } from "../../crds/istio.js";
import type { ClusterName, ClusterPlan, Plan, Problem } from "./model.js";
import type { PlanSink } from "./plan-host.js";
import { sortProblems } from "./problems.js";

interface ClusterObjects {
  readonly serviceEntries: ServiceEntry[];
  readonly destinationRules: DestinationRule[];
}

export class CollectingSink implements PlanSink {
  readonly problems: Problem[] = [];
  private readonly byCluster = new Map<ClusterName, ClusterObjects>();

  add(cluster: ClusterName, serviceEntry: ServiceEntry, destinationRule: DestinationRule): void {
    let objects = this.byCluster.get(cluster);
    if (objects === undefined) {
      objects = { serviceEntries: [], destinationRules: [] };
      this.byCluster.set(cluster, objects);
    }
    objects.serviceEntries.push(serviceEntry);
    objects.destinationRules.push(destinationRule);
  }

  /**
   * One entry per member cluster (`clusters` sorted), objects sorted by name; `presorted` says
   * which lists the caller already added in name order.
   */
  toPlan(clusters: readonly ClusterName[], presorted = { serviceEntries: false, destinationRules: false }): Plan {
    const plans: ClusterPlan[] = clusters.map((cluster) => {
      const objects = this.byCluster.get(cluster);
      if (objects === undefined) return { cluster, serviceEntries: [], destinationRules: [] };
      return {
        cluster,
        serviceEntries: presorted.serviceEntries ? objects.serviceEntries : objects.serviceEntries.sort(byName),
        destinationRules: presorted.destinationRules ? objects.destinationRules : objects.destinationRules.sort(byName),
      };
    });
    return { clusters: plans, problems: sortProblems(this.problems) };
  }
}

function byName(a: { metadata: { name: string } }, b: { metadata: { name: string } }): number {
  const x = a.metadata.name;
  const y = b.metadata.name;
  return x < y ? -1 : x > y ? 1 : 0;
}
