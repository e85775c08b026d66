// What `cluster list` and `cluster status` show, computed from MeshCluster objects as plain data.
// Conditions absent from the status (the controller has not reported yet) read as Unknown.

import type { KubernetesObject } from "@kubernetes/client-node";

import { SERVER_ANNOTATION } from "../../federation/registration/names.js";
import { age, renderTable } from "./output.js";

interface ConditionView {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string | Date;
}

interface MeshClusterView {
  metadata?: { name?: string; creationTimestamp?: string | Date; annotations?: Record<string, string> };
  spec?: {
    region?: string;
    zone?: string;
    network?: string;
    kubeconfigSecretRef?: { name?: string; namespace?: string; key?: string };
    gateway?: { address?: string; serviceRef?: { namespace?: string; name?: string }; port?: number };
    discovery?: { namespaces?: string[]; namespaceSelector?: { matchLabels?: Record<string, string> } };
  };
  status?: { conditions?: ConditionView[]; serverVersion?: string; lastSyncTime?: string | Date; workloadCount?: number };
}

export const LIST_HEADERS = ["NAME", "REGION", "ZONE", "NETWORK", "CONNECTED", "SYNCED", "WORKLOADS", "AGE"] as const;

export interface ClusterSummary {
  name: string;
  region: string;
  zone: string | null;
  network: string | null;
  connected: string;
  synced: string;
  workloads: number | null;
  server: string | null;
  created: string | null;
}

function view(object: object): MeshClusterView {
  return object as MeshClusterView;
}

function conditionStatus(cluster: MeshClusterView, type: string): string {
  return cluster.status?.conditions?.find((condition) => condition.type === type)?.status ?? "Unknown";
}

function timestamp(value: string | Date | undefined): string | null {
  if (value === undefined) return null;
  return value instanceof Date ? value.toISOString().replace(/\.\d{3}Z$/, "Z") : value;
}

function orNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

function parts(object: object): Required<MeshClusterView> {
  const cluster = view(object);
  return { metadata: cluster.metadata ?? {}, spec: cluster.spec ?? {}, status: cluster.status ?? {} };
}

export function clusterSummary(object: object): ClusterSummary {
  const cluster = parts(object);
  return {
    name: String(orNull(cluster.metadata.name)),
    region: String(orNull(cluster.spec.region)),
    zone: orNull(cluster.spec.zone),
    network: orNull(cluster.spec.network),
    connected: conditionStatus(cluster, "Connected"),
    synced: conditionStatus(cluster, "Synced"),
    workloads: orNull(cluster.status.workloadCount),
    server: orNull(cluster.metadata.annotations?.[SERVER_ANNOTATION]),
    created: timestamp(cluster.metadata.creationTimestamp),
  };
}

export function renderClusterTable(objects: readonly object[], now: Date): string {
  const rows = objects.map((object) => {
    const s = clusterSummary(object);
    return [s.name, s.region, text(s.zone, "-"), text(s.network, "-"), s.connected, s.synced, text(s.workloads, "-"), age(text(s.created, ""), now)];
  });
  return renderTable(LIST_HEADERS, rows);
}

export function describeGateway(cluster: MeshClusterView): string {
  const gateway = cluster.spec?.gateway;
  if (gateway === undefined) return "-";
  const port = gateway.port ?? 15443;
  if (gateway.address !== undefined) return `${gateway.address}:${port}`;
  const ref = gateway.serviceRef;
  return ref === undefined ? `-:${port}` : `Service ${ref.namespace ?? ""}/${ref.name ?? ""} (load-balancer address), port ${port}`;
}

export function describeDiscovery(cluster: MeshClusterView): string {
  const discovery = cluster.spec?.discovery;
  if (discovery?.namespaces !== undefined) return `namespaces ${discovery.namespaces.join(", ")}`;
  const labels = discovery?.namespaceSelector?.matchLabels;
  if (labels !== undefined && Object.keys(labels).length > 0) {
    return `namespaces labelled ${Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(",")}`;
  }
  return "every namespace but kube-system, kube-public, kube-node-lease and meridian-sync";
}

/** `cluster status NAME` for people: the registration, then every condition. */
export function renderClusterStatus(object: object, now: Date): string {
  const fields = statusFields(parts(object), now);
  const width = Math.max(...fields.map(([key]) => key.length)) + 2;
  const head = fields.map(([key, value]) => `${`${key}:`.padEnd(width)}${value}`).join("\n");
  return `${head}\nConditions:\n${indent(renderConditions(view(object), now))}`;
}

function statusFields(cluster: Required<MeshClusterView>, now: Date): [string, string][] {
  const { metadata, spec, status } = cluster;
  const name = text(metadata.name, "");
  return [
    ["Name", name],
    ["Server", text(metadata.annotations?.[SERVER_ANNOTATION], "-")],
    ["Server version", text(status.serverVersion, "-")],
    ["Region", text(spec.region, "-")],
    ["Zone", text(spec.zone, "-")],
    ["Network", text(spec.network, `${name} (the cluster's name)`)],
    ["Gateway", describeGateway(cluster)],
    ["Discovery", describeDiscovery(cluster)],
    ["Credentials", describeSecret(spec.kubeconfigSecretRef)],
    ["Workloads", text(status.workloadCount, "-")],
    ["Last sync", status.lastSyncTime === undefined ? "never" : `${text(timestamp(status.lastSyncTime), "")} (${age(status.lastSyncTime, now)} ago)`],
    ["Registered", `${age(metadata.creationTimestamp, now)} ago`],
  ];
}

function text(value: string | number | null | undefined, fallback: string): string {
  return value === undefined || value === null ? fallback : String(value);
}

function describeSecret(ref: { name?: string; namespace?: string; key?: string } | undefined): string {
  if (ref === undefined) return "-";
  return `Secret ${text(ref.namespace, "meridian-system")}/${text(ref.name, "")}, key ${text(ref.key, "kubeconfig")}`;
}

function renderConditions(cluster: MeshClusterView, now: Date): string {
  const conditions = cluster.status?.conditions ?? [];
  if (conditions.length === 0) {
    return "none reported yet (the controller has not connected to this cluster)\n";
  }
  const rows = conditions.map((c) => [c.type, c.status, c.reason ?? "", age(c.lastTransitionTime, now), c.message ?? ""]);
  return renderTable(["TYPE", "STATUS", "REASON", "AGE", "MESSAGE"], rows);
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? line : `  ${line}`))
    .join("\n");
}

/** A MeshCluster for -o json|yaml: without managedFields, which only the API server needs. */
export function withoutManagedFields(object: KubernetesObject): KubernetesObject {
  const { managedFields: _managed, ...metadata } = object.metadata ?? {};
  return JSON.parse(JSON.stringify({ ...object, metadata })) as KubernetesObject;
}
