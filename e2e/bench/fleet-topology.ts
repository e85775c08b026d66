// The fleet benchmark's shape, as plain data (see fleet.ts): clusters in six regions, identities
// placed in one or more clusters of different regions (the workloads), and a dependency graph with
// the fan-out of a real mesh — a few hubs (auth, config, a database proxy) that hundreds of
// identities call, and otherwise a couple of calls to ordinary identities each.
import type { BenchCluster } from "./converge-fleet.js";

export const FLEET_REGIONS: readonly string[] = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1", "ap-northeast-1"];

export interface FleetSize {
  readonly clusters: number;
  readonly identities: number;
  readonly workloads: number;
  readonly hubs: number;
}

export interface FleetWorkload {
  readonly identity: string;
  /** Index into the clusters. */
  readonly cluster: number;
}

export interface FleetTopology {
  readonly clusters: readonly BenchCluster[];
  readonly identities: readonly string[];
  readonly workloads: readonly FleetWorkload[];
  /** Source identity → the identities it calls. */
  readonly calls: ReadonlyMap<string, readonly string[]>;
}

/** Each ordinary identity calls one hub and this many ordinary identities. */
const ORDINARY_CALLS = 2;

/** Cluster `c` is in region `c mod 6`, so consecutive clusters are in different regions. */
export function fleetClusters(count: number): BenchCluster[] {
  return Array.from({ length: count }, (_, c) => ({
    name: `fleet-${String(c).padStart(3, "0")}`,
    region: FLEET_REGIONS[c % FLEET_REGIONS.length] as string,
    gateway: `198.18.${Math.floor(c / 250)}.${(c % 250) + 1}`,
  }));
}

export const identityName = (i: number): string => `f${i}`;

/**
 * The clusters identity `i` runs in: `count` distinct clusters spread evenly over the fleet (so over
 * regions too), starting at a different cluster for each identity.
 */
export function placement(i: number, count: number, clusters: number): number[] {
  const step = Math.ceil(clusters / count);
  return Array.from({ length: count }, (_, j) => ((i * 5) % clusters + j * step) % clusters);
}

/** The identities ordinary identity `i` calls: hub `i mod hubs`, and ORDINARY_CALLS ordinary identities spread over the rest. */
export function callsOf(i: number, size: FleetSize): string[] {
  const { identities, hubs } = size;
  if (i < hubs) return [identityName((i + 1) % hubs)];
  const ordinary = identities - hubs;
  const callees = new Set([identityName(i % hubs)]);
  for (let k = 1; k <= ORDINARY_CALLS && ordinary > 1; k++) {
    const j = hubs + (((i - hubs) * 31 + k * 7919) % ordinary);
    if (j !== i) callees.add(identityName(j));
  }
  return [...callees];
}

export function fleetTopology(size: FleetSize): FleetTopology {
  const { clusters, identities, workloads, hubs } = size;
  if (workloads < identities) throw new Error(`--workloads (${workloads}) must be at least --identities (${identities}): every identity runs somewhere`);
  if (workloads > identities * clusters) throw new Error(`--workloads (${workloads}) can be at most --identities × --clusters (${identities * clusters})`);
  if (hubs < 1 || hubs >= identities) throw new Error(`--hubs (${hubs}) must be between 1 and --identities - 1`);
  const names = Array.from({ length: identities }, (_, i) => identityName(i));
  const base = Math.floor(workloads / identities);
  const extra = workloads % identities;
  const placed = names.flatMap((identity, i) => placement(i, base + (i < extra ? 1 : 0), clusters).map((cluster) => ({ identity, cluster })));
  const calls = new Map(names.map((identity, i) => [identity, callsOf(i, size)]));
  return { clusters: fleetClusters(clusters), identities: names, workloads: placed, calls };
}

/** How many identities call each identity (for the progress log: the hubs' fan-in). */
export function fanIn(calls: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const callers = new Map<string, number>();
  for (const callees of calls.values()) for (const callee of callees) callers.set(callee, (callers.get(callee) ?? 0) + 1);
  return callers;
}
