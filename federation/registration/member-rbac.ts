// What Meridian needs in a member cluster, as plain data: the permissions (the source of truth for
// both the RBAC objects and the access reviews that verify them) and the manifests that grant them.
// deploy/member-rbac.yaml is these manifests, written out; a unit test keeps the two identical.

import {
  MANAGED_LABELS,
  MERIDIAN_NAMESPACE,
  READ_ROLE,
  SERVICE_ACCOUNT,
  SYNC_NAMESPACE,
  WRITE_ROLE,
} from "./names.js";

export interface PermissionRule {
  /** `""` is the core group. */
  apiGroup: string;
  resources: readonly string[];
  verbs: readonly string[];
  /** Checked only when the API server serves this resource (e.g. Argo Rollouts, when installed). */
  optional?: { apiVersion: string; kind: string };
}

const READ_VERBS = ["get", "list", "watch"] as const;
const WRITE_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"] as const;

/** Cluster-wide reads: workloads and their endpoints, and the namespaces that scope discovery. */
export const READ_RULES: readonly PermissionRule[] = Object.freeze([
  { apiGroup: "", resources: ["services", "namespaces"], verbs: READ_VERBS },
  { apiGroup: "discovery.k8s.io", resources: ["endpointslices"], verbs: READ_VERBS },
  { apiGroup: "apps", resources: ["deployments"], verbs: READ_VERBS },
  // Always granted (harmless when the CRD is absent), verified only when Rollouts are served.
  { apiGroup: "argoproj.io", resources: ["rollouts"], verbs: READ_VERBS, optional: { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout" } },
]);

/** Writes in the sync namespace only: the generated Istio configuration. */
export const WRITE_RULES: readonly PermissionRule[] = Object.freeze([
  { apiGroup: "networking.istio.io", resources: ["serviceentries", "destinationrules"], verbs: WRITE_VERBS },
]);

export interface ManifestMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A Kubernetes object as plain data, ready to be applied. */
export type Manifest = { apiVersion: string; kind: string; metadata: ManifestMetadata } & Record<string, unknown>;

export const NAMESPACE_NAMES: readonly string[] = Object.freeze([MERIDIAN_NAMESPACE, SYNC_NAMESPACE]);

/** Namespaces are created when missing and never changed or deleted by Meridian: they carry no labels. */
export function memberNamespaces(): Manifest[] {
  return NAMESPACE_NAMES.map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } }));
}

/** The ServiceAccount, roles and bindings Meridian owns in a member, in apply order. */
export function memberRbacObjects(): Manifest[] {
  const subjects = [{ kind: "ServiceAccount", name: SERVICE_ACCOUNT, namespace: MERIDIAN_NAMESPACE }];
  const meta = (name: string, namespace?: string): Manifest["metadata"] =>
    namespace === undefined ? { name, labels: { ...MANAGED_LABELS } } : { name, namespace, labels: { ...MANAGED_LABELS } };
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(SERVICE_ACCOUNT, MERIDIAN_NAMESPACE) },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: meta(READ_ROLE), rules: READ_RULES.map(rbacRule) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: meta(READ_ROLE),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: READ_ROLE },
      subjects,
    },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta(WRITE_ROLE, SYNC_NAMESPACE), rules: WRITE_RULES.map(rbacRule) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta(WRITE_ROLE, SYNC_NAMESPACE),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: WRITE_ROLE },
      subjects,
    },
  ];
}

/** Everything deploy/member-rbac.yaml holds: namespaces first, then the RBAC objects. */
export function memberManifests(): Manifest[] {
  return [...memberNamespaces(), ...memberRbacObjects()];
}

function rbacRule(rule: PermissionRule): Record<string, unknown> {
  return { apiGroups: [rule.apiGroup], resources: [...rule.resources], verbs: [...rule.verbs] };
}
