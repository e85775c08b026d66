// What registration stores in the home cluster, as plain data: the Secret holding the member's
// kubeconfig and the MeshCluster that names it. Both carry the member's server URL, so a name
// reused for another cluster is detected.

import { API_VERSION, describeErrors, parseMeshCluster, RESOURCES } from "../../crds/index.js";
import type { MeshClusterSpec } from "../../crds/index.js";
import type { ClusterName } from "../graph-model.js";
import type { Manifest } from "./member-rbac.js";
import {
  CLUSTER_LABEL,
  CREDENTIALS_ANNOTATION,
  KUBECONFIG_KEY,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MERIDIAN_NAMESPACE,
  SERVER_ANNOTATION,
  TOKEN_EXPIRES_ANNOTATION,
  memberSecretName,
} from "./names.js";
import type { CredentialsSource } from "./names.js";

/** Where and how a member sits in the mesh: everything of the MeshCluster's spec but the Secret. */
export interface Placement {
  region: string;
  zone?: string;
  network?: string;
  gateway?: { address: string; port: number } | { serviceRef: { namespace: string; name: string }; port: number };
  discovery?: { namespaces: string[] } | { namespaceSelector: { matchLabels: Record<string, string> } };
}

export interface MemberCredentials {
  /** The kubeconfig YAML stored in the Secret: one context, named `meridian-<cluster>`. */
  kubeconfig: string;
  source: CredentialsSource;
  /** RFC 3339, for a ServiceAccount token. */
  expires?: string;
}

/** Thrown when the MeshCluster built from the flags would be rejected by its CRD. */
export class InvalidRegistrationError extends Error {
  override readonly name = "InvalidRegistrationError";
}

function labelsOf(cluster: ClusterName): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [CLUSTER_LABEL]: cluster };
}

export function memberSecretManifest(cluster: ClusterName, server: string, credentials: MemberCredentials): Manifest {
  const annotations: Record<string, string> = { [CREDENTIALS_ANNOTATION]: credentials.source, [SERVER_ANNOTATION]: server };
  if (credentials.expires !== undefined) {
    annotations[TOKEN_EXPIRES_ANNOTATION] = credentials.expires;
  }
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: memberSecretName(cluster), namespace: MERIDIAN_NAMESPACE, labels: labelsOf(cluster), annotations },
    type: "Opaque",
    data: { [KUBECONFIG_KEY]: Buffer.from(credentials.kubeconfig, "utf8").toString("base64") },
  };
}

/** What a registration leaves undone, for warnings: without a gateway the other clusters get no endpoint for this one. */
export function placementWarnings(cluster: ClusterName, placement: Placement): string[] {
  if (placement.gateway !== undefined) {
    return [];
  }
  return [
    `no east-west gateway given (--gateway-address or --gateway-service): the other clusters will get no endpoints for the Services of ${cluster}, so they cannot call what runs only there; register again with a gateway to fix it`,
  ];
}

export function meshClusterSpec(cluster: ClusterName, placement: Placement): MeshClusterSpec {
  return {
    region: placement.region,
    ...(placement.zone === undefined ? {} : { zone: placement.zone }),
    ...(placement.network === undefined ? {} : { network: placement.network }),
    kubeconfigSecretRef: { name: memberSecretName(cluster), namespace: MERIDIAN_NAMESPACE, key: KUBECONFIG_KEY },
    ...(placement.gateway === undefined ? {} : { gateway: placement.gateway }),
    ...(placement.discovery === undefined ? {} : { discovery: placement.discovery }),
  };
}

/** The MeshCluster, checked against the CRD's rules (throws InvalidRegistrationError naming the field). */
export function meshClusterManifest(cluster: ClusterName, server: string, placement: Placement): Manifest {
  const manifest = {
    apiVersion: API_VERSION,
    kind: RESOURCES.MeshCluster.kind,
    metadata: { name: cluster, labels: labelsOf(cluster), annotations: { [SERVER_ANNOTATION]: server } },
    spec: meshClusterSpec(cluster, placement),
  };
  const parsed = parseMeshCluster(manifest);
  if (!parsed.ok) {
    throw new InvalidRegistrationError(`MeshCluster ${cluster} would be rejected: ${describeErrors(parsed.errors)}`);
  }
  return manifest;
}

/** A Secret for display: its data replaced by the number of bytes, so nothing secret is printed. */
export function redactedSecret(secret: Manifest): Manifest {
  const data = (secret["data"] ?? {}) as Record<string, string>;
  const redacted = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, `<redacted: ${Buffer.from(value, "base64").length} bytes>`]));
  return { ...secret, data: redacted };
}
