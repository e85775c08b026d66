// Which identities must be re-planned when the workloads of one identity change.
import { uniqueSorted } from "./compare.js";
import { fleetIdentities, type FleetIndex } from "./fleet-index.js";
import { WILDCARD } from "./index-dependencies.js";

/**
 * `identity` itself (its endpoints, ports and placement); every identity it depends on (they are
 * placed and exported where it runs; with a `*` dependency, every identity); and every identity
 * that depends on it (whether their dependency resolves may have changed). The answer does not
 * depend on workloads, so the index before or after the change gives the same.
 */
export function identitiesAffectedBy(index: FleetIndex, identity: string): string[] {
  const affected = new Set([identity]);
  for (const dep of index.dependencies.bySource.get(identity) ?? []) {
    for (const dest of dep.destinations) {
      if (dest.identity === WILDCARD) return fleetIdentities(index);
      affected.add(dest.identity);
    }
  }
  for (const edge of index.dependencies.dependents.get(identity) ?? []) affected.add(edge.source);
  return uniqueSorted(affected);
}
