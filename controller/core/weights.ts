// Integer percentages that sum to exactly 100, by the largest remainder method.
import { compareStrings } from "./compare.js";
import type { RegionWeight } from "./model.js";

/**
 * Rescales `weights` to sum to 100: each gets the floor of its share, and the points left over
 * go one each to the largest remainders (ties: the region first by name). When every weight is
 * 0 the regions share equally. Returns regions sorted by name; zero results are dropped.
 */
export function rescaleTo100(weights: readonly RegionWeight[]): RegionWeight[] {
  if (weights.length === 0) return [];
  const total = weights.reduce((sum, w) => sum + Math.max(0, w.weight), 0);
  const parts = weights.map((w) => ({ region: w.region, share: total === 0 ? 1 : Math.max(0, w.weight) }));
  const sum = total === 0 ? parts.length : total;
  const scaled = parts.map((p) => ({
    region: p.region,
    weight: Math.floor((p.share * 100) / sum),
    remainder: (p.share * 100) % sum,
  }));
  let left = 100 - scaled.reduce((s, p) => s + p.weight, 0);
  const order = [...scaled].sort((a, b) => b.remainder - a.remainder || compareStrings(a.region, b.region));
  for (const p of order) {
    if (left === 0) break;
    p.weight += 1;
    left -= 1;
  }
  return scaled
    .filter((p) => p.weight > 0)
    .map((p) => ({ region: p.region, weight: p.weight }))
    .sort((a, b) => compareStrings(a.region, b.region));
}
