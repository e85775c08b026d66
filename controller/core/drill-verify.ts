// Verification of a drill: do the ServiceEntries read back from an affected cluster carry the
// endpoints planned for the drill (while evacuating) or without it (while restoring)? Compares
// host by host, and merges each read-back into the per-cluster results kept in the drill's report.
// Pure.
import type { DrillTarget } from "../../crds/index.js";
import { compareStrings } from "./compare.js";
import type { DrillRoute } from "./drill-plan.js";
import type { ClusterVerification, Verification } from "./drill-report.js";

/** The read-back of one cluster. */
export interface ClusterCheck {
  readonly cluster: string;
  /** Hosts compared. */
  readonly hosts: number;
  /** Hosts whose live endpoints differ from the plan (sorted). */
  readonly mismatched: readonly string[];
  /** Why the cluster could not be read, e.g. `unreadable: connect ECONNREFUSED …`. */
  readonly error?: string;
}

/** A ServiceEntry as read from a member cluster: only what verification compares. */
export interface LiveEntry {
  readonly name: string;
  readonly endpoints: readonly { address?: string; locality?: string }[];
}

export type Expectation = "during" | "now";

/** The hosts of the drill's routes in `cluster`, compared with what the cluster holds. */
export function checkCluster(cluster: string, routes: readonly DrillRoute[], live: ReadonlyMap<string, LiveEntry>, expect: Expectation): ClusterCheck {
  const mine = routes.filter((r) => r.cluster === cluster);
  const mismatched = mine.filter((route) => !sameEndpoints(live.get(route.name), route[expect])).map((route) => route.host);
  return { cluster, hosts: mine.length, mismatched: mismatched.sort(compareStrings) };
}

/** Endpoints as the drill plan writes them: `address locality`, sorted. */
export function endpointKeys(endpoints: readonly { address?: string; locality?: string }[]): string[] {
  return endpoints.map((e) => `${e.address ?? ""} ${e.locality ?? ""}`.trim()).sort(compareStrings);
}

function sameEndpoints(entry: LiveEntry | undefined, planned: readonly string[]): boolean {
  // A host planned with no endpoints at all is not written, so a missing entry matches it.
  if (entry === undefined) return planned.length === 0;
  const live = endpointKeys(entry.endpoints);
  return live.length === planned.length && live.every((key, i) => key === planned[i]);
}

export interface MergedChecks {
  readonly verification: Verification;
  readonly newlyVerified: readonly ClusterVerification[];
  /** `c2 (3 hosts differ: a, b, c), c3 (unreachable: …)`: the clusters still not verified. */
  readonly missing: string;
}

const MAX_NAMED_HOSTS = 5;

/**
 * Merges a read-back into the results so far: a cluster verified once stays verified (with the time
 * it first was), one not read this time stays as it was; clusters the drill affects now but did not
 * at preflight are added.
 */
export function mergeChecks(verification: Verification, checks: readonly ClusterCheck[], at: string): MergedChecks {
  const byCluster = new Map(checks.map((check) => [check.cluster, check]));
  const names = [...new Set([...verification.clusters.map((c) => c.cluster), ...checks.map((c) => c.cluster)])].sort(compareStrings);
  const previous = new Map(verification.clusters.map((c) => [c.cluster, c]));
  const newlyVerified: ClusterVerification[] = [];
  const clusters = names.map((cluster): ClusterVerification => {
    const before = previous.get(cluster);
    const check = byCluster.get(cluster);
    if (before?.verified === true) return before;
    // Not read this time (its writes are still going on): as it was.
    if (check === undefined) return before ?? { cluster, hosts: 0, verified: false };
    if (check.error === undefined && check.mismatched.length === 0) {
      const verified = { cluster, hosts: check.hosts, verified: true, verifiedAt: at };
      newlyVerified.push(verified);
      return verified;
    }
    const mismatched = check.mismatched.slice(0, MAX_NAMED_HOSTS);
    return { cluster, hosts: check.hosts, verified: false, ...(mismatched.length === 0 ? {} : { mismatched }), ...(check.error === undefined ? {} : { error: check.error }) };
  });
  const missing = clusters.filter((c) => !c.verified).map(describeMissing).join(", ");
  return { verification: { ...verification, clusters }, newlyVerified, missing };
}

function describeMissing(c: ClusterVerification): string {
  if (c.error !== undefined) return `${c.cluster} (${c.error})`;
  return `${c.cluster} (hosts not as planned: ${(c.mismatched ?? []).join(", ")}${(c.mismatched ?? []).length === MAX_NAMED_HOSTS ? ", …" : ""})`;
}

/** `region us-east-1` or `cluster c1`. */
export function describeTarget(target: DrillTarget): string {
  return target.cluster === undefined ? `region ${target.region ?? ""}` : `cluster ${target.cluster}`;
}
