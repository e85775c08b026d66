// Problems of TrafficPolicies: those of the policy itself (checked once per identity) and those
// that depend on where one host has endpoints (checked per host).
import type { FleetIndex } from "./fleet-index.js";
import type { Problem, TrafficPolicy, Workload } from "./model.js";
import { outlierDetectionProblems } from "./outlier-detection.js";
import { describeRef, problem } from "./problems.js";

/** Conflicts, policies for identities that do not run, unknown regions, disabled ejection. */
export function identityPolicyProblems(index: FleetIndex, identity: string, workloads: readonly Workload[]): Problem[] {
  const policies = index.policies.get(identity);
  if (policies === undefined) return [];
  const problems = [...policies.conflicts];
  for (const policy of policies.policies) {
    problems.push(...notRunning(policy, workloads), ...unknownRegions(index, policy), ...outlierDetectionProblems(policy));
  }
  return problems;
}

function notRunning(policy: TrafficPolicy, workloads: readonly Workload[]): Problem[] {
  const runs = workloads.some((w) => policy.env === undefined || w.env === policy.env);
  if (runs) return [];
  const what = policy.env === undefined ? `identity ${policy.identity}` : `identity ${policy.identity} in env ${policy.env}`;
  return [problem("PolicyIdentityNotRunning", policy.ref,
    `${describeRef(policy.ref)}: field spec.identity names ${what}, which runs in no registered cluster; the policy applies to nothing`)];
}

function unknownRegions(index: FleetIndex, policy: TrafficPolicy): Problem[] {
  return policy.regions
    .filter((region) => !index.clusters.regions.has(region))
    .map((region) => problem("UnknownRegion", policy.ref,
      `${describeRef(policy.ref)}: field spec.regions names region ${region}, where no MeshCluster is registered; it is skipped`));
}

/** Problems of the policy that applies to one host, given the regions where it has endpoints. */
export function hostPolicyProblems(policy: TrafficPolicy | undefined, env: string, servingRegions: readonly string[]): Problem[] {
  if (policy?.mode === "Weighted") return weightedProblems(policy, env, servingRegions);
  if (policy?.mode === "Failover") return failoverProblems(policy, env, servingRegions);
  return [];
}

function weightedProblems(policy: TrafficPolicy, env: string, servingRegions: readonly string[]): Problem[] {
  return policy.weights
    .filter((w) => w.weight > 0 && !servingRegions.includes(w.region))
    .map((w) => problem("WeightedRegionWithoutEndpoints", policy.ref,
      `${describeRef(policy.ref)}: field spec.weights gives region ${w.region} ${w.weight}% but identity ${policy.identity} (env ${env}) has no serving endpoints there (none ready, or all evacuated by a drill); the weights of the regions that have endpoints are rescaled to sum to 100 (equal shares when none of them is weighted)`));
}

function failoverProblems(policy: TrafficPolicy, env: string, servingRegions: readonly string[]): Problem[] {
  if (policy.regions.some((r) => servingRegions.includes(r))) return [];
  return [problem("FailoverRegionsWithoutEndpoints", policy.ref,
    `${describeRef(policy.ref)}: no region in field spec.regions has serving endpoints of identity ${policy.identity} (env ${env}) (none ready, or all evacuated by a drill); traffic goes to the nearest locality instead`)];
}
