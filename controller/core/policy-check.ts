// `meridian policy check`: what each TrafficPolicy would do wrong if applied as written — the
// planner's own problems for policies (unknown regions, weights or failover regions without
// endpoints, an identity that does not run, conflicts, ejection disabled) plus one the planner does
// not report because its plan is still valid: an identity whose serving endpoints are all in one
// region has nowhere to fail over to. Pure: the graph in, findings out.
import { compareStrings } from "./compare.js";
import type { PlanInput, ProblemCode, TrafficPolicy } from "./model.js";
import { plan } from "./plan.js";
import { PROBLEM_SEVERITY, describeRef } from "./problems.js";
import type { ProblemSeverity } from "./problems.js";

export type PolicyFindingCode = ProblemCode | "SingleRegion";

export interface PolicyFinding {
  /** `namespace/name` of the TrafficPolicy. */
  readonly policy: string;
  readonly identity: string;
  readonly code: PolicyFindingCode;
  readonly severity: ProblemSeverity;
  readonly message: string;
}

export function checkPolicies(input: PlanInput): PolicyFinding[] {
  const byRef = new Map(input.policies.map((p) => [refKey(p), p]));
  const findings: PolicyFinding[] = [];
  for (const problem of plan(input).problems) {
    const policy = problem.object.kind === "TrafficPolicy" ? byRef.get(`${problem.object.namespace ?? ""}/${problem.object.name}`) : undefined;
    if (policy === undefined) continue;
    findings.push({ policy: refKey(policy), identity: policy.identity, code: problem.code, severity: PROBLEM_SEVERITY[problem.code], message: problem.message });
  }
  for (const policy of input.policies) findings.push(...singleRegion(input, policy));
  return findings.sort((a, b) => compareStrings(a.policy, b.policy) || compareStrings(a.code, b.code) || compareStrings(a.message, b.message));
}

function refKey(policy: TrafficPolicy): string {
  return `${policy.ref.namespace ?? ""}/${policy.ref.name}`;
}

/** Regions where the policy's identity (in its env) has ready endpoints; a finding when exactly one. */
function singleRegion(input: PlanInput, policy: TrafficPolicy): PolicyFinding[] {
  const regionOf = new Map(input.clusters.map((c) => [c.name as string, c.region]));
  const serving = new Set(
    input.workloads
      .filter((w) => w.identity === policy.identity && (policy.env === undefined || w.env === policy.env))
      .filter((w) => Object.values(w.readyByZone).some((ready) => ready > 0))
      .flatMap((w) => regionOf.get(w.cluster) ?? []),
  );
  if (serving.size !== 1) return [];
  const [region] = [...serving];
  const message = `${describeRef(policy.ref)}: identity ${policy.identity}${policy.env === undefined ? "" : ` (env ${policy.env})`} has serving endpoints only in region ${region ?? ""}; if that region fails there is nowhere to fail over to (run it in a second region)`;
  return [{ policy: refKey(policy), identity: policy.identity, code: "SingleRegion", severity: "Warning", message }];
}
