// Whether a member's watches serve now, and whether this process still waits for its first sync
// (what /readyz needs): a pure function of what the registry observed. A member waits only while
// nothing says it cannot sync — not probed yet, or reachable with usable credentials and its watches
// still listing; a member that is unreachable, rejects the credentials or fails its watches does not
// hold readiness back, and is reported as not synced instead.

import type { AccessResult, ProbeResult, WatchObservation } from "./observations.js";

export interface AvailabilityInputs {
  readonly credentialsUsable: boolean;
  readonly probe: ProbeResult | undefined;
  readonly access: AccessResult | undefined;
  readonly watches: WatchObservation;
  /** The watches have been fully synced at least once since this process started. */
  readonly syncedSinceStart: boolean;
}

export interface Availability {
  /** The watches are synced and none fails: the MeshCluster's Synced condition is True. */
  readonly syncedNow: boolean;
  /** Not synced since start, and it may still sync on its own: readiness waits for it. */
  readonly awaited: boolean;
  /** Why it is not synced now, in a few words (undefined when synced). */
  readonly problem: string | undefined;
}

export function clusterAvailability(inputs: AvailabilityInputs): Availability {
  const syncedNow = inputs.watches.phase === "Synced";
  const blocker = cannotSync(inputs);
  return {
    syncedNow,
    awaited: !syncedNow && !inputs.syncedSinceStart && blocker === undefined,
    problem: syncedNow ? undefined : (blocker ?? (inputs.probe === undefined ? "not probed yet" : "syncing")),
  };
}

/** What keeps the member from syncing until someone acts or it comes back; undefined when nothing does. */
function cannotSync({ credentialsUsable, probe, access, watches }: AvailabilityInputs): string | undefined {
  if (!credentialsUsable) return "credentials not usable";
  if (probe !== undefined && !probe.reachable) return "unreachable";
  if (probe?.authFailure !== undefined) return "credentials rejected";
  if (access !== undefined && !access.ok) return "permission review failed";
  return watches.phase === "Failing" ? "watches failing" : undefined;
}
