// The whole fleet's plan: exactly the union of every identity's plan (the same functions, in
// another order), plus the problems that belong to no identity.
import { fleetIdentities, type FleetIndex, indexFleet } from "./fleet-index.js";
import type { Plan, PlanInput } from "./model.js";
import { compareStrings } from "./compare.js";
import { planHost } from "./plan-host.js";
import { type HostWork, identityWork } from "./plan-identity.js";
import { CollectingSink } from "./plan-sink.js";

export function plan(input: PlanInput): Plan {
  return planFleet(indexFleet(input));
}

/**
 * Plans every identity of the index. Hosts are planned in the order of their ServiceEntry names,
 * so each cluster's list, a subsequence of that order, comes out sorted; when the
 * DestinationRule names are in the same order (they are unless a name was hashed) so are those.
 */
export function planFleet(index: FleetIndex): Plan {
  const sink = new CollectingSink();
  sink.problems.push(...index.problems);
  const hosts: HostWork[] = [];
  for (const identity of fleetIdentities(index)) {
    const work = identityWork(index, identity);
    sink.problems.push(...work.problems);
    hosts.push(...work.hosts);
  }
  hosts.sort((a, b) => compareStrings(a.serviceEntryName, b.serviceEntryName));
  for (const host of hosts) planHost(index, host, host.workloads, sink);
  const drSorted = hosts.every((h, i) => i === 0 || compareStrings((hosts[i - 1] as HostWork).destinationRuleName, h.destinationRuleName) < 0);
  return sink.toPlan(index.clusters.names, { serviceEntries: true, destinationRules: drSorted });
}
