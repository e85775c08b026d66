// MeshCluster: one per member cluster (cluster-scoped). Mirrors crds/meridian.dev_meshclusters.yaml.
import { z } from "zod";
import {
  ADDRESS_PATTERN,
  LABEL_VALUE_PATTERN,
  ObjectMetaSchema,
  SECRET_KEY_PATTERN,
  boundedString,
  conditionList,
  count,
  dateTime,
  dnsLabel,
  dnsSubdomain,
  listSet,
  pruneNulls,
} from "./common.js";
import { API_VERSION } from "./group-version.js";
import { BLOCKING_PARAMS, celIssue, parserFor } from "./parse.js";
import { MERIDIAN_NAMESPACE, SYNC_NAMESPACE } from "./names.js";

export const MESH_CLUSTER_RULES = {
  gatewayAtMostOne: "at most one of address or serviceRef may be set",
  discoveryAtMostOne: "at most one of namespaces or namespaceSelector may be set",
} as const;

export const MESH_CLUSTER_CONDITIONS = ["Connected", "CredentialsValid", "PermissionsVerified", "Synced"] as const;
export type MeshClusterConditionType = (typeof MESH_CLUSTER_CONDITIONS)[number];

export const DEFAULT_KUBECONFIG_SECRET_NAMESPACE = MERIDIAN_NAMESPACE;
export const DEFAULT_KUBECONFIG_SECRET_KEY = "kubeconfig";
export const DEFAULT_GATEWAY_PORT = 15443;
/** Namespaces never watched when `spec.discovery` names none. */
export const DEFAULT_EXCLUDED_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease", SYNC_NAMESPACE] as const;

const KubeconfigSecretRefSchema = z.object({
  name: dnsSubdomain(),
  namespace: dnsLabel().default(DEFAULT_KUBECONFIG_SECRET_NAMESPACE),
  key: boundedString(253).regex(SECRET_KEY_PATTERN).default(DEFAULT_KUBECONFIG_SECRET_KEY),
});

const GatewaySchema = z
  .object({
    address: boundedString(253).min(1).regex(ADDRESS_PATTERN).optional(),
    serviceRef: z.object({ namespace: dnsLabel(), name: dnsLabel() }).optional(),
    port: z.int().min(1).max(65535).default(DEFAULT_GATEWAY_PORT),
  })
  .superRefine((gateway, ctx) => {
    // CEL: !(has(self.address) && has(self.serviceRef))
    if (gateway.address !== undefined && gateway.serviceRef !== undefined) celIssue(ctx, MESH_CLUSTER_RULES.gatewayAtMostOne);
  });

const DiscoverySchema = z
  .object({
    namespaces: listSet(dnsLabel(), 256).min(1).optional(),
    namespaceSelector: z
      .object({
        matchLabels: z
          .record(z.string(), boundedString(63))
          .refine((labels) => Object.keys(labels).length <= 64, {
            message: "Too many: must have at most 64 properties",
            params: BLOCKING_PARAMS,
          })
          .optional(),
      })
      .optional(),
  })
  .superRefine((discovery, ctx) => {
    // CEL: !(has(self.namespaces) && has(self.namespaceSelector))
    if (discovery.namespaces !== undefined && discovery.namespaceSelector !== undefined) {
      celIssue(ctx, MESH_CLUSTER_RULES.discoveryAtMostOne);
    }
  });

export const MeshClusterSpecSchema = z.object({
  region: dnsLabel(),
  zone: dnsLabel().optional(),
  network: boundedString(63).min(1).regex(LABEL_VALUE_PATTERN).optional(),
  kubeconfigSecretRef: KubeconfigSecretRefSchema,
  gateway: GatewaySchema.optional(),
  discovery: DiscoverySchema.optional(),
});

export const MeshClusterStatusSchema = z.object({
  observedGeneration: count().optional(),
  conditions: conditionList().optional(),
  serverVersion: boundedString(64).optional(),
  lastSyncTime: dateTime().optional(),
  workloadCount: count().optional(),
});

export const MeshClusterSchema = z.preprocess(
  (obj) => pruneNulls(obj),
  z.object({
    apiVersion: z.literal(API_VERSION),
    kind: z.literal("MeshCluster"),
    // The cluster's name is also its topology.istio.io/cluster label: a DNS-1123 label.
    metadata: ObjectMetaSchema.extend({ name: dnsLabel() }),
    spec: MeshClusterSpecSchema,
    status: MeshClusterStatusSchema.optional(),
  }),
);

export type MeshCluster = z.infer<typeof MeshClusterSchema>;
export type MeshClusterSpec = z.infer<typeof MeshClusterSpecSchema>;
export type MeshClusterStatus = z.infer<typeof MeshClusterStatusSchema>;

/** Validates a MeshCluster and applies the CRD's defaults. */
export const parseMeshCluster = parserFor(MeshClusterSchema);

/** The cluster's Istio network: `spec.network`, else the cluster's name. */
export function meshClusterNetwork(cluster: Pick<MeshCluster, "metadata" | "spec">): string {
  return cluster.spec.network ?? cluster.metadata.name;
}
