// The status of a ServiceDependency: which destinations resolve (the identity, or identity+env, runs
// in some registered cluster) and which do not and why, and in how many of the clusters where the
// source runs every resolved destination's objects are written. Pure.
import { WILDCARD_IDENTITY } from "../../crds/index.js";
import type { ConditionUpdate } from "../../federation/conditions.js";
import type { Dependency, DependencyTarget } from "../../federation/graph/model.js";
import type { Problem } from "../core/index.js";
import type { FleetView } from "./fleet-view.js";
import type { ObjectStatus } from "./object-status.js";
import { clusterList, countOf, listField } from "./status-text.js";

export interface ResolvedDestination {
  readonly identity: string;
  /** A concrete env; `*` for every env of a `*` destination. */
  readonly env: string;
}

export interface UnresolvedDestination {
  readonly identity: string;
  readonly env?: string;
  readonly reason: string;
}

export interface Resolution {
  readonly resolved: readonly ResolvedDestination[];
  readonly unresolved: readonly UnresolvedDestination[];
  /** The identities whose objects must be written where the source runs. */
  readonly identities: readonly string[];
  readonly wildcard?: DependencyTarget;
}

/** The CRD's limits on the lists (maxItems) and on a reason (maxLength). */
const MAX_LISTED = 1024;
const MAX_REASON = 1024;

export function dependencyStatus(view: FleetView, dependency: Dependency): ObjectStatus {
  const resolution = resolveDestinations(view, dependency.destinations);
  const sourceClusters = view.clustersOf(dependency.source.identity, dependency.source.env);
  const written = sourceClusters.filter((cluster) => resolution.identities.every((identity) => view.isWritten(cluster, identity)));
  const conflicts = conflictsOf(view, sourceClusters, resolution.identities);
  return {
    kind: "ServiceDependency",
    ref: dependency.ref,
    model: dependency,
    fields: {
      ...listField("resolved", resolution.resolved.slice(0, MAX_LISTED)),
      ...listField("unresolved", resolution.unresolved.slice(0, MAX_LISTED)),
      clustersWritten: written.length,
    },
    conditions: [resolvedCondition(resolution, dependency.destinations.length), conflictCondition(conflicts) ?? syncedCondition(dependency, resolution, { sourceClusters, written })],
    problems: [...view.problemsOn(dependency.source.identity, dependency.ref), ...conflicts.map((message): Problem => ({ code: "Conflict", object: dependency.ref, message }))],
  };
}

/**
 * Each destination resolves to the envs of its identity that run (only its env, when given), or is
 * unresolved with the reason. `*` (with or without env) always resolves: it stands for every identity
 * that runs, now and later, and is listed as one entry `{identity: "*", env: <env or "*">}`.
 */
export function resolveDestinations(view: FleetView, destinations: readonly DependencyTarget[]): Resolution {
  const wildcard = destinations.find((d) => d.identity === WILDCARD_IDENTITY);
  if (wildcard !== undefined) {
    return { resolved: [{ identity: WILDCARD_IDENTITY, env: wildcard.env ?? "*" }], unresolved: [], identities: view.identities(wildcard.env), wildcard };
  }
  const resolved: ResolvedDestination[] = [];
  const unresolved: UnresolvedDestination[] = [];
  const identities = new Set<string>();
  for (const destination of destinations) {
    const envs = view.envsOf(destination.identity);
    const reason = unresolvedReason(destination, envs, view.pendingClusters);
    if (reason !== undefined) {
      unresolved.push({ ...destination, reason: reason.slice(0, MAX_REASON) });
      continue;
    }
    identities.add(destination.identity);
    for (const env of envs.filter((e) => destination.env === undefined || e === destination.env)) resolved.push({ identity: destination.identity, env });
  }
  return { resolved, unresolved, identities: [...identities] };
}

function unresolvedReason(destination: DependencyTarget, envs: readonly string[], pending: readonly string[]): string | undefined {
  if (envs.length === 0 && pending.length > 0) {
    return `identity ${destination.identity} runs in no synced cluster (not synced: ${clusterList(pending)}; its existing routes are kept until they sync)`;
  }
  if (envs.length === 0) return `identity ${destination.identity} runs in no registered cluster`;
  if (destination.env === undefined || envs.includes(destination.env)) return undefined;
  return `env ${destination.env} of identity ${destination.identity} runs in no registered cluster (it runs only in env ${envs.join(", ")})`;
}

/** One message per destination object whose name an unowned object took, where the source runs. */
function conflictsOf(view: FleetView, clusters: readonly string[], identities: readonly string[]): string[] {
  return clusters.flatMap((cluster) =>
    identities.flatMap((identity) => {
      const object = view.conflictIn(cluster, identity);
      return object === undefined ? [] : [`${object} in cluster ${cluster} is not managed by Meridian (no app.kubernetes.io/managed-by=meridian label), so Meridian's object for ${identity} cannot be written there: delete or rename it, and Meridian writes its own at once`];
    }),
  );
}

function conflictCondition(conflicts: readonly string[]): ConditionUpdate | undefined {
  if (conflicts.length === 0) return undefined;
  const more = conflicts.length > 1 ? ` (and ${conflicts.length - 1} more)` : "";
  return { type: "Synced", status: "False", reason: "Conflict", message: `${conflicts[0] ?? ""}${more}` };
}

function resolvedCondition(resolution: Resolution, total: number): ConditionUpdate {
  if (resolution.wildcard !== undefined) {
    const env = resolution.wildcard.env === undefined ? "" : ` in env ${resolution.wildcard.env}`;
    return { type: "Resolved", status: "True", reason: "Wildcard", message: `Destination * stands for every identity${env} that runs in a registered cluster, now and later` };
  }
  const { unresolved } = resolution;
  if (unresolved.length === 0) {
    return { type: "Resolved", status: "True", reason: "Resolved", message: `${countOf(total, "destination")} ${total === 1 ? "runs" : "run"} in a registered cluster` };
  }
  const reasons = unresolved.map((u) => u.reason).join("; ");
  return {
    type: "Resolved",
    status: "False",
    reason: "UnresolvedDestinations",
    message: `${unresolved.length} of ${countOf(total, "destination")} ${unresolved.length === 1 ? "does" : "do"} not resolve: ${reasons}. Nothing is written for ${unresolved.length === 1 ? "it" : "them"} until ${unresolved.length === 1 ? "it runs" : "they run"}`,
  };
}

function syncedCondition(dependency: Dependency, resolution: Resolution, where: { sourceClusters: readonly string[]; written: readonly string[] }): ConditionUpdate {
  const { sourceClusters, written } = where;
  const source = dependency.source.env === undefined ? `source identity ${dependency.source.identity}` : `source identity ${dependency.source.identity} (env ${dependency.source.env})`;
  if (sourceClusters.length === 0) {
    return { type: "Synced", status: "False", reason: "SourceNotRunning", message: `The ${source} runs in no registered cluster, so nothing is written for this dependency` };
  }
  const total = sourceClusters.length;
  if (resolution.identities.length === 0) {
    return { type: "Synced", status: "True", reason: "NothingToWrite", message: `No destination resolves, so nothing is written in the ${countOf(total, "cluster")} where the ${source} runs` };
  }
  if (written.length < total) {
    const waiting = sourceClusters.filter((c) => !written.includes(c));
    return { type: "Synced", status: "False", reason: "Pending", message: `Written in ${written.length} of ${countOf(total, "cluster")} where the ${source} runs; waiting for ${clusterList(waiting)}` };
  }
  return { type: "Synced", status: "True", reason: "Synced", message: `Written in ${total} of ${countOf(total, "cluster")} where the ${source} runs` };
}
