// The one place that spells what registration creates: names, namespaces, labels, annotations.
// Shared with the registry (it reads the Secret and MeshCluster written here), agreed in issue 4.

import type { ClusterName } from "../graph-model.js";

import { FIELD_MANAGER, MANAGED_BY_LABEL, MANAGED_BY_VALUE, MERIDIAN_NAMESPACE, SYNC_NAMESPACE } from "../../crds/names.js";

export { FIELD_MANAGER, MANAGED_BY_LABEL, MANAGED_BY_VALUE, MERIDIAN_NAMESPACE, SYNC_NAMESPACE };
export const SERVICE_ACCOUNT = "meridian";
export const READ_ROLE = "meridian-member-read";
export const WRITE_ROLE = "meridian-member-write";
export const KUBECONFIG_KEY = "kubeconfig";

export const CLUSTER_LABEL = "meridian.dev/cluster";
/** The member's API server URL, on the MeshCluster and its Secret: detects a name reused for another cluster. */
export const SERVER_ANNOTATION = "meridian.dev/server";
/** RFC 3339 expiry of the stored ServiceAccount token (absent for given credentials). */
export const TOKEN_EXPIRES_ANNOTATION = "meridian.dev/token-expires";
/** `service-account-token` (created by register) or `given` (--use-given-credentials). */
export const CREDENTIALS_ANNOTATION = "meridian.dev/credentials";

export type CredentialsSource = "service-account-token" | "given";

/** The home cluster's Secret holding member `cluster`'s kubeconfig. */
export function memberSecretName(cluster: ClusterName): string {
  return `meridian-member-${cluster}`;
}

/** The ServiceAccount's user name as the API server reports it. */
export const SERVICE_ACCOUNT_USER = `system:serviceaccount:${MERIDIAN_NAMESPACE}:${SERVICE_ACCOUNT}`;

export const MANAGED_LABELS: Readonly<Record<string, string>> = Object.freeze({ [MANAGED_BY_LABEL]: MANAGED_BY_VALUE });

/** `app.kubernetes.io/managed-by=meridian`, as a label selector. */
export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
