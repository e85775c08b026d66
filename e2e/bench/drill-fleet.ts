// The fleet of the drill benchmark (see drill.ts): six control planes, two in each of three regions,
// and identities placed so that evacuating any one region leaves every identity served elsewhere.
import { apply } from "../support/federation-members.js";
import { applyWorkload } from "../support/federation-workloads.js";
import { BENCH_NAMESPACE, inParallel, type BenchCluster, type BenchFleet, type BenchMember } from "./converge-fleet.js";
import { dependency } from "./converge-steps.js";

/** Two clusters per region, in region order: an offset of 2, 3 or 4 from any cluster lands in another region. */
export const DRILL_CLUSTERS: readonly BenchCluster[] = [
  { name: "drill-use-a", region: "us-east-1", gateway: "192.0.2.41" },
  { name: "drill-use-b", region: "us-east-1", gateway: "192.0.2.42" },
  { name: "drill-euw-a", region: "eu-west-1", gateway: "192.0.2.43" },
  { name: "drill-euw-b", region: "eu-west-1", gateway: "192.0.2.44" },
  { name: "drill-aps-a", region: "ap-south-1", gateway: "192.0.2.45" },
  { name: "drill-aps-b", region: "ap-south-1", gateway: "192.0.2.46" },
];

/** The region the drills evacuate. */
export const DRILL_REGION = "us-east-1";

/** Each identity calls the next CALLS identities (whose first clusters are other clusters). */
const CALLS = 2;

/**
 * The clusters (indexes into DRILL_CLUSTERS) identity `i` runs in: two in different regions, and a
 * third for every third identity.
 */
export function placement(i: number): number[] {
  const n = DRILL_CLUSTERS.length;
  const first = i % n;
  const second = (first + 2 + (Math.floor(i / n) % 2)) % n;
  return i % 3 === 0 ? [first, second, (first + 4) % n] : [first, second];
}

function regionsOf(i: number): Set<string> {
  return new Set(placement(i).map((c) => DRILL_CLUSTERS[c]?.region ?? ""));
}

/** Writes `count` identities (workloads where `placement` says, and their ServiceDependencies); returns their names. */
export async function seedDrillIdentities(fleet: BenchFleet, count: number): Promise<string[]> {
  const identities = Array.from({ length: count }, (_, i) => `dr${i}`);
  const lonely = identities.filter((_, i) => regionsOf(i).size < 2);
  if (lonely.length > 0) throw new Error(`Identities in one region only (a drill would black-hole them): ${lonely.join(", ")}`);
  const placed = identities.flatMap((identity, i) => placement(i).map((c) => ({ identity, member: fleet.members[c] as BenchMember })));
  await inParallel(placed, 8, async ({ identity, member }) => {
    await applyWorkload(member.plane, { namespace: BENCH_NAMESPACE, name: identity, identity, ready: 1 });
  });
  await inParallel(identities, 8, async (identity) => {
    const i = Number(identity.slice(2));
    const callees = Array.from({ length: Math.min(CALLS, count - 1) }, (_, k) => `dr${(i + k + 1) % count}`);
    await apply(fleet.home.objects, dependency(identity, identity, callees));
  });
  return identities;
}
