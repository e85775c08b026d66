// What the stored credentials must be allowed to do in a member (exactly the RBAC Meridian grants,
// see member-rbac.ts) and a sample of what they must NOT be allowed to do. Each check is one
// SelfSubjectAccessReview; the verdicts are turned into one line naming the permissions.

import { READ_RULES, WRITE_RULES } from "./member-rbac.js";
import type { PermissionRule } from "./member-rbac.js";
import { MERIDIAN_NAMESPACE, SYNC_NAMESPACE } from "./names.js";

export interface AccessCheck {
  verb: string;
  /** `""` is the core group, `*` every group. */
  group: string;
  resource: string;
  subresource?: string;
  /** undefined: cluster-wide (every namespace, or a cluster-scoped resource). */
  namespace?: string;
  /** Required only when this kind is served (the Rollout CRD is installed). */
  optional?: { apiVersion: string; kind: string };
}

export interface AccessVerdict {
  check: AccessCheck;
  allowed: boolean;
}

/** Every verb on every resource Meridian reads (cluster-wide) and writes (in the sync namespace). */
export function requiredAccess(): AccessCheck[] {
  return [...READ_RULES.flatMap((rule) => checksOf(rule, undefined)), ...WRITE_RULES.flatMap((rule) => checksOf(rule, SYNC_NAMESPACE))];
}

/**
 * Permissions Meridian must not hold: secrets (the home cluster may also be a member: other members'
 * credentials live in meridian-system), writes to workloads and to Istio objects outside the sync
 * namespace, other kinds in the sync namespace, and privilege escalation.
 */
export function forbiddenAccess(): AccessCheck[] {
  return [
    { verb: "*", group: "*", resource: "*" },
    { verb: "get", group: "", resource: "secrets" },
    { verb: "list", group: "", resource: "secrets", namespace: MERIDIAN_NAMESPACE },
    { verb: "create", group: "", resource: "services", namespace: "default" },
    { verb: "update", group: "apps", resource: "deployments", namespace: "default" },
    { verb: "create", group: "", resource: "pods", subresource: "exec", namespace: "default" },
    { verb: "create", group: "networking.istio.io", resource: "serviceentries", namespace: "default" },
    { verb: "create", group: "networking.istio.io", resource: "destinationrules", namespace: "default" },
    { verb: "create", group: "", resource: "configmaps", namespace: SYNC_NAMESPACE },
    { verb: "delete", group: "", resource: "namespaces" },
    { verb: "create", group: "rbac.authorization.k8s.io", resource: "clusterrolebindings" },
    { verb: "create", group: "", resource: "serviceaccounts", subresource: "token", namespace: MERIDIAN_NAMESPACE },
    { verb: "impersonate", group: "", resource: "users" },
  ];
}

/** The required checks that apply, given which optional kinds the server serves. */
export function applicableRequired(served: (apiVersion: string, kind: string) => boolean): AccessCheck[] {
  return requiredAccess().filter((check) => check.optional === undefined || served(check.optional.apiVersion, check.optional.kind));
}

export interface AccessEvaluation {
  missing: AccessCheck[];
  excess: AccessCheck[];
}

/** Missing required and granted forbidden permissions; a granted wildcard (`*` on `*`) stands for all the others. */
export function evaluateAccess(required: readonly AccessVerdict[], forbidden: readonly AccessVerdict[]): AccessEvaluation {
  const excess = forbidden.filter((verdict) => verdict.allowed).map((verdict) => verdict.check);
  const wildcard = excess.find((check) => check.verb === "*" && check.resource === "*");
  return {
    missing: required.filter((verdict) => !verdict.allowed).map((verdict) => verdict.check),
    excess: wildcard === undefined ? excess : [wildcard],
  };
}

/** `list endpointslices.discovery.k8s.io (cluster-wide)`; verbs on the same resource and scope grouped. */
export function describeChecks(checks: readonly AccessCheck[]): string {
  const groups = new Map<string, string[]>();
  for (const check of checks) {
    const target = describeTarget(check);
    groups.set(target, [...(groups.get(target) ?? []), check.verb === "*" ? "every verb on" : check.verb]);
  }
  return [...groups].map(([target, verbs]) => `${verbs.join(", ")} ${target}`).join("; ");
}

export function missingPermissionMessage(missing: readonly AccessCheck[]): string {
  return `missing ${plural(missing, "permission")}: ${describeChecks(missing)}`;
}

export function excessPermissionMessage(excess: readonly AccessCheck[]): string {
  return `excess ${plural(excess, "permission")} (Meridian needs less): ${describeChecks(excess)}`;
}

function plural(checks: readonly AccessCheck[], word: string): string {
  const targets = new Set(checks.map(describeTarget));
  return targets.size === 1 && checks.length === 1 ? word : `${word}s`;
}

function describeTarget(check: AccessCheck): string {
  const resource = check.resource === "*" ? "every resource" : qualified(check);
  return check.namespace === undefined ? `${resource} (cluster-wide)` : `${resource} in namespace ${check.namespace}`;
}

function qualified(check: AccessCheck): string {
  const name = check.subresource === undefined ? check.resource : `${check.resource}/${check.subresource}`;
  return check.group === "" ? name : `${name}.${check.group}`;
}

function checksOf(rule: PermissionRule, namespace: string | undefined): AccessCheck[] {
  return rule.resources.flatMap((resource) =>
    rule.verbs.map((verb) => ({
      verb,
      group: rule.apiGroup,
      resource,
      ...(namespace === undefined ? {} : { namespace }),
      ...(rule.optional === undefined ? {} : { optional: rule.optional }),
    })),
  );
}
