// Rule 4, localityLbSetting of a host's DestinationRule in one cluster, from the identity's policy
// (Topology when none) and the regions that have endpoints as that cluster sees them.
import type { LocalityLbSetting } from "../../crds/istio.js";
import type { TrafficPolicy } from "./model.js";
import { rescaleTo100 } from "./weights.js";

export const REGION_LABEL = "topology.kubernetes.io/region";

/** `endpointRegions`: regions with endpoints, sorted by name. */
export function localityLbSetting(policy: TrafficPolicy | undefined, ownRegion: string, endpointRegions: readonly string[]): LocalityLbSetting {
  switch (policy?.mode) {
    case "Failover":
      return strictPriority(policy.regions, endpointRegions);
    case "Weighted":
      return weighted(policy, endpointRegions);
    default:
      return topology(policy?.regions ?? [], ownRegion, endpointRegions);
  }
}

/**
 * Nearest locality first (Istio's own zone, then region preference) and, across regions, a
 * failover to the next region with endpoints after this cluster's region in the order: the
 * policy's regions, then the other regions with endpoints by name. The order is a ring (after
 * the last region comes the first); a region outside it starts from the first.
 */
function topology(regions: readonly string[], ownRegion: string, endpointRegions: readonly string[]): LocalityLbSetting {
  const order = [...new Set([...regions, ...endpointRegions])];
  const at = order.indexOf(ownRegion);
  const ring = [...order.slice(at + 1), ...order.slice(0, Math.max(at, 0))];
  const next = ring.find((r) => r !== ownRegion && endpointRegions.includes(r));
  return next === undefined ? { enabled: true } : { enabled: true, failover: [{ from: ownRegion, to: next }] };
}

/**
 * Strict priority: every client prefers the first listed region that has endpoints; the rest are
 * one lower priority level that Envoy fails over to by itself when outlier detection ejects the
 * preferred region. Meridian re-plans (and moves the preference) when that region loses its endpoints.
 */
function strictPriority(regions: readonly string[], endpointRegions: readonly string[]): LocalityLbSetting {
  const first = regions.find((r) => endpointRegions.includes(r));
  return first === undefined ? { enabled: true } : { enabled: true, failoverPriority: [`${REGION_LABEL}=${first}`] };
}

/** Fixed percentages over the weighted regions that have endpoints, rescaled to 100 (all 0: equal shares). */
function weighted(policy: TrafficPolicy, endpointRegions: readonly string[]): LocalityLbSetting {
  const present = policy.weights.filter((w) => endpointRegions.includes(w.region));
  // No weighted region has endpoints: share equally among those that do (never route nowhere).
  const usable = present.length > 0 ? present : endpointRegions.map((region) => ({ region, weight: 0 }));
  const to: Record<string, number> = {};
  for (const w of rescaleTo100(usable)) to[`${w.region}/*`] = w.weight;
  return { enabled: true, distribute: [{ from: "*", to }] };
}
