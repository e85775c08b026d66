// A MeshCluster's status computed from what the registry observed: the four conditions (with the
// reasons of reasons.ts and messages that say what is wrong and what to do), server version, last
// sync time, workload count and observed generation. Pure; the clock is an argument, and a
// condition keeps its lastTransitionTime while its status does not change.

import type { FieldError, MeshClusterStatus } from "../../crds/index.js";
import { describeErrors } from "../../crds/index.js";
import { conditionTime, MESH_CLUSTER_CONDITIONS, setConditions } from "../conditions.js";
import type { ConditionUpdate } from "../conditions.js";
import { describeChecks } from "../registration/access-requirements.js";
import { READ_ROLE, SYNC_NAMESPACE, WRITE_ROLE } from "../registration/names.js";
import type { ClusterObservations, ProbeResult } from "./observations.js";
import { REASONS } from "./reasons.js";

type Update = Omit<ConditionUpdate, "observedGeneration">;

const { Connected, CredentialsValid, PermissionsVerified, Synced } = MESH_CLUSTER_CONDITIONS;

export function clusterStatus(observations: ClusterObservations, previous: MeshClusterStatus | undefined, now: Date): MeshClusterStatus {
  const generation = observations.generation;
  const updates = [connected(observations), credentialsValid(observations), permissionsVerified(observations), synced(observations)];
  const conditions = setConditions(ownConditions(previous), updates.map((u) => withGeneration(u, generation)), now);
  const serverVersion = observations.serverVersion ?? previous?.serverVersion;
  const lastSyncTime = observations.lastSyncTime ?? previous?.lastSyncTime;
  return {
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    conditions,
    ...(serverVersion === undefined ? {} : { serverVersion }),
    ...(lastSyncTime === undefined ? {} : { lastSyncTime }),
    ...(observations.workloadCount === undefined ? {} : { workloadCount: observations.workloadCount }),
  };
}

/** The status of a MeshCluster that fails its schema: every condition names the fields; nothing is watched. */
export function invalidClusterStatus(errors: readonly FieldError[], generation: number | undefined, previous: MeshClusterStatus | undefined, now: Date): MeshClusterStatus {
  const message = `Invalid MeshCluster: ${describeErrors(errors)}. Fix the MeshCluster; the cluster is not watched until it is valid.`;
  const update = (type: string, status: "False" | "Unknown"): Update => ({ type, status, reason: REASONS.InvalidSpec, message });
  const updates = [update(Connected, "Unknown"), update(CredentialsValid, "Unknown"), update(PermissionsVerified, "Unknown"), update(Synced, "False")];
  const conditions = setConditions(ownConditions(previous), updates.map((u) => withGeneration(u, generation)), now);
  return generation === undefined ? { conditions } : { observedGeneration: generation, conditions };
}

export function connected(o: ClusterObservations): Update {
  const probe = o.probe;
  if (o.credentials.state === "invalid" && !o.previousCredentialsServing) {
    return { type: Connected, status: "Unknown", reason: REASONS.NoCredentials, message: "No usable credentials (see CredentialsValid): nothing is watched." };
  }
  if (probe === undefined) {
    return { type: Connected, status: "Unknown", reason: REASONS.Connecting, message: `Contacting ${o.server ?? "the API server"}.` };
  }
  if (probe.reachable) {
    const version = probe.serverVersion === undefined ? "" : ` (Kubernetes ${probe.serverVersion})`;
    return { type: Connected, status: "True", reason: REASONS.Connected, message: `Reached ${o.server ?? "the API server"}${version}.` };
  }
  const retry = ` Meridian retries every ${Math.round(o.probeIntervalMs / 1000)} s; other clusters are not affected.`;
  const reason = probe.failure.kind === "TLS" ? REASONS.TLSHandshakeFailed : REASONS.Unreachable;
  return { type: Connected, status: "False", reason, message: `${sentence(probe.failure.message)}${retry}` };
}

export function credentialsValid(o: ClusterObservations): Update {
  if (o.credentials.state === "invalid") {
    const still = o.previousCredentialsServing ? " Watches keep running with the previous credentials meanwhile." : "";
    return { type: CredentialsValid, status: "False", reason: o.credentials.reason, message: `${sentence(o.credentials.message)}${still}` };
  }
  const probe = o.probe;
  if (probe === undefined || (!probe.reachable && probe.failure.kind !== "TLS")) {
    return { type: CredentialsValid, status: "Unknown", reason: REASONS.NotChecked, message: "Not checked: the API server has not answered." };
  }
  return probedCredentials(o, probe);
}

function probedCredentials(o: ClusterObservations, probe: ProbeResult): Update {
  const register = `Store new credentials in Secret ${o.secret} (\`meridian cluster register ${o.cluster}\` does).`;
  if (!probe.reachable) {
    const why = `The server's certificate is not trusted by the certificate-authority-data in Secret ${o.secret}: ${probe.failure.message}.`;
    return { type: CredentialsValid, status: "False", reason: REASONS.ServerCertificateUntrusted, message: `${why} ${register}` };
  }
  if (probe.authFailure !== undefined) {
    const why = `${o.server ?? "The API server"} rejected the credentials in Secret ${o.secret} (${probe.authFailure.status ?? "error"}): they are invalid, expired or revoked.`;
    return { type: CredentialsValid, status: "False", reason: REASONS.Unauthorized, message: `${why} ${register}` };
  }
  const user = probe.user === undefined ? "" : ` as ${probe.user}`;
  return { type: CredentialsValid, status: "True", reason: REASONS.Authenticated, message: `Authenticated${user} with Secret ${o.secret}.` };
}

export function permissionsVerified(o: ClusterObservations): Update {
  const access = o.access;
  const usable = o.credentials.state === "valid" && o.probe?.reachable === true && o.probe.authFailure === undefined;
  if (!usable || access === undefined) {
    return { type: PermissionsVerified, status: "Unknown", reason: REASONS.NotChecked, message: "Not checked yet: needs a reachable API server and valid credentials." };
  }
  if (!access.ok) {
    return { type: PermissionsVerified, status: "Unknown", reason: REASONS.CheckFailed, message: `Could not review permissions: ${access.failure.message}.` };
  }
  if (access.missing.length > 0) {
    const grant = `Grant them: ClusterRole ${READ_ROLE} (reads) and Role ${WRITE_ROLE} in ${SYNC_NAMESPACE} (writes); \`meridian cluster register ${o.cluster}\` applies both.`;
    return { type: PermissionsVerified, status: "False", reason: REASONS.PermissionDenied, message: `Missing: ${describeChecks(access.missing)}. ${grant}` };
  }
  const excess = access.excess.length === 0 ? "" : ` It also holds more than it needs: ${describeChecks(access.excess)}.`;
  const message = `Holds every permission Meridian needs (${access.checked} access reviews).${excess}`;
  return { type: PermissionsVerified, status: "True", reason: REASONS.Verified, message };
}

export function synced(o: ClusterObservations): Update {
  const watches = o.watches;
  switch (watches.phase) {
    case "NotStarted":
      return { type: Synced, status: "False", reason: REASONS.NotStarted, message: "Watches start once the API server is reached with valid credentials." };
    case "Syncing":
      return { type: Synced, status: "False", reason: REASONS.Syncing, message: `Listing ${watches.pending.join(", ")}.` };
    case "Failing": {
      const message = `${watches.failures.map(sentence).join(" ")} Each watch restarts with backoff; the last synced objects are kept meanwhile.`;
      return { type: Synced, status: "False", reason: REASONS.WatchFailed, message };
    }
    default: {
      const message = `Watching ${count(watches.namespaces, "namespace")} with ${count(watches.watches, "watch", "watches")}; ${count(o.workloadCount ?? 0, "workload")}.`;
      return { type: Synced, status: "True", reason: REASONS.Synced, message };
    }
  }
}

/** RFC 3339 with second precision, as metav1.Time writes it. */
export function statusTime(now: Date): string {
  return conditionTime(now);
}

const OWN_TYPES: ReadonlySet<string> = new Set(Object.values(MESH_CLUSTER_CONDITIONS));

/**
 * The registry's own conditions of the previous status. Another writer's (the EastWestGateway
 * condition `meridian cluster register` applies under a field manager of its own) are left out of
 * what the registry applies, so a later change by that writer is never reverted.
 */
function ownConditions(previous: MeshClusterStatus | undefined): MeshClusterStatus["conditions"] {
  return previous?.conditions?.filter((c) => OWN_TYPES.has(c.type));
}

function withGeneration(update: Update, generation: number | undefined): ConditionUpdate {
  return generation === undefined ? update : { ...update, observedGeneration: generation };
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Capitalised, ending with a full stop. */
function sentence(text: string): string {
  const trimmed = text.trim().replace(/\.$/, "");
  return `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}.`;
}
