// The status of a TrafficPolicy: the clusters whose DestinationRules it shapes (totalClusters), those
// where they are written (appliedClusters), and the planner's problems that concern it. Pure.
import type { ConditionUpdate } from "../../federation/conditions.js";
import type { TrafficPolicy } from "../../federation/graph/model.js";
import { ENV_LABEL, PROBLEM_SEVERITY } from "../core/index.js";
import type { Problem } from "../core/index.js";
import type { IdentityPolicies } from "../core/index-policies.js";
import { sameRef } from "./fleet-view.js";
import type { FleetView } from "./fleet-view.js";
import type { ObjectStatus } from "./object-status.js";
import { clusterList, countOf, listField } from "./status-text.js";

/** The CRD's limits on problems (maxItems) and on a message (maxLength). */
const MAX_PROBLEMS = 256;
const MAX_MESSAGE = 4096;

/** The key under which the planner keeps env-less policies (index-policies.ts). */
const EVERY_ENV = "*";

interface Coverage {
  /** The policy is the one the planner uses for its identity and env (it lost no conflict). */
  readonly wins: boolean;
  /** Clusters with a DestinationRule of an env the policy covers, sorted. */
  readonly clusters: readonly string[];
  /** Those of them where the identity's objects are written (none for a policy that lost a conflict). */
  readonly applied: readonly string[];
}

export function policyStatus(view: FleetView, policy: TrafficPolicy): ObjectStatus {
  const coverage = coverageOf(view, policy);
  const problems = view.problemsOn(policy.identity, policy.ref);
  return {
    kind: "TrafficPolicy",
    ref: policy.ref,
    model: policy,
    fields: {
      appliedClusters: coverage.applied.length,
      totalClusters: coverage.clusters.length,
      ...listField("problems", problems.slice(0, MAX_PROBLEMS).map((p) => ({ code: p.code, message: p.message.slice(0, MAX_MESSAGE) }))),
    },
    conditions: [appliedCondition(view, policy, coverage, problems)],
    problems,
  };
}

/**
 * An env-specific policy covers its env; an env-less one covers every env without an env-specific
 * policy (the planner's layering). A policy that lost a conflict covers the same DestinationRules
 * but is applied in none of them.
 */
function coverageOf(view: FleetView, policy: TrafficPolicy): Coverage {
  const policies = view.policiesOf(policy.identity);
  const winner = policies.winners.get(policy.env ?? EVERY_ENV);
  const wins = winner !== undefined && sameRef(winner.ref, policy.ref);
  const clusters = view.clusters.filter((cluster) =>
    view.objectsIn(cluster, policy.identity).some((o) => o.kind === "DestinationRule" && covers(policies, policy, o.metadata.labels[ENV_LABEL] ?? "")),
  );
  const applied = wins ? clusters.filter((cluster) => view.isWritten(cluster, policy.identity)) : [];
  return { wins, clusters, applied };
}

function covers(policies: IdentityPolicies, policy: TrafficPolicy, env: string): boolean {
  return policy.env === undefined ? !policies.winners.has(env) : policy.env === env;
}

function appliedCondition(view: FleetView, policy: TrafficPolicy, coverage: Coverage, problems: readonly Problem[]): ConditionUpdate {
  const error = problems.find((p) => PROBLEM_SEVERITY[p.code] === "Error");
  if (error !== undefined) return { type: "Applied", status: "False", reason: error.code, message: error.message };
  if (!coverage.wins) {
    const conflict = problems.find((p) => p.code === "PolicyConflict");
    return { type: "Applied", status: "False", reason: "PolicyConflict", message: conflict?.message ?? `Another TrafficPolicy applies to ${scopeOf(policy)}` };
  }
  const total = coverage.clusters.length;
  if (total === 0) return { type: "Applied", status: "False", reason: "NothingToApply", message: nothingToApply(view, policy, problems) };
  if (coverage.applied.length < total) {
    const waiting = coverage.clusters.filter((c) => !coverage.applied.includes(c));
    return { type: "Applied", status: "False", reason: "Pending", message: `Applied in ${coverage.applied.length} of ${countOf(total, "cluster")}; waiting for ${clusterList(waiting)}` };
  }
  const warnings = problems.length === 0 ? "" : `; ${countOf(problems.length, "warning")} in status.problems`;
  return { type: "Applied", status: "True", reason: "Applied", message: `Applied in ${total} of ${countOf(total, "cluster")}${warnings}` };
}

function nothingToApply(view: FleetView, policy: TrafficPolicy, problems: readonly Problem[]): string {
  const notRunning = problems.find((p) => p.code === "PolicyIdentityNotRunning");
  if (notRunning !== undefined) return notRunning.message;
  if (policy.env === undefined && view.envsOf(policy.identity).every((env) => view.policiesOf(policy.identity).winners.has(env))) {
    return `Every env of identity ${policy.identity} that runs has an env-specific TrafficPolicy, which applies instead`;
  }
  return `No cluster has a DestinationRule for ${scopeOf(policy)}: it has no ready endpoints in any cluster`;
}

function scopeOf(policy: TrafficPolicy): string {
  return policy.env === undefined ? `identity ${policy.identity}` : `identity ${policy.identity} in env ${policy.env}`;
}
