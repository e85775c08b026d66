// Workloads for the federation e2e tests. No controller-manager runs in the test control planes, so a
// workload is written whole: a Namespace, a Service, a Deployment whose pod template carries the
// `identity` label, and the EndpointSlice a real cluster's controller would maintain.

import { CoreV1Api, KubernetesObjectApi } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";

import { ApiException } from "@kubernetes/client-node";
import { apply } from "./federation-members.js";
import type { ConnectedControlPlane } from "./clusters.js";

export interface TestWorkload {
  namespace: string;
  /** Service, Deployment and app label. */
  name: string;
  identity: string;
  /** Ready endpoints in `zone`; 0 writes one endpoint that is not ready. */
  ready: number;
  zone?: string;
  /** The pod-template label that carries the identity (default `identity`). */
  identityLabel?: string;
  /** The Service's ports (default: `http` 80 → 8080); the EndpointSlice serves each target port. */
  ports?: readonly WorkloadPort[];
}

export interface WorkloadPort {
  name: string;
  port: number;
  targetPort: number;
}

const DEFAULT_PORTS: readonly WorkloadPort[] = [{ name: "http", port: 80, targetPort: 8080 }];

/** Creates the namespace unless it exists (an existing one keeps its labels). */
export async function ensureNamespace(plane: ConnectedControlPlane, name: string, labels: Record<string, string> = {}): Promise<void> {
  try {
    await plane.core.createNamespace({ body: { metadata: { name, labels } } });
  } catch (err) {
    if (!(err instanceof ApiException && err.code === 409)) throw err;
  }
}

export async function applyWorkload(plane: ConnectedControlPlane, workload: TestWorkload): Promise<void> {
  const { namespace, name, identity } = workload;
  await ensureNamespace(plane, namespace);
  const objects: KubernetesObject[] = [
    { apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec: { selector: { app: name }, ports: workload.ports ?? DEFAULT_PORTS } } as KubernetesObject,
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name, [workload.identityLabel ?? "identity"]: identity } }, spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }] } },
      },
    } as KubernetesObject,
  ];
  for (const object of objects) await apply(plane.objects, object);
  await setReady(plane, workload);
}

/** Rewrites the Service's EndpointSlice: `ready` ready endpoints, or one not-ready endpoint for 0. */
export async function setReady(plane: ConnectedControlPlane, workload: TestWorkload): Promise<void> {
  const { namespace, name, ready, zone = "zone-a" } = workload;
  const count = Math.max(ready, 1);
  const endpoints = Array.from({ length: count }, (_, i) => ({ addresses: [`10.1.0.${i + 1}`], conditions: { ready: ready > 0 }, zone }));
  await apply(plane.objects, {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: `${name}-1`, namespace, labels: { "kubernetes.io/service-name": name } },
    addressType: "IPv4",
    ports: (workload.ports ?? DEFAULT_PORTS).map((p) => ({ name: p.name, port: p.targetPort })),
    endpoints,
  } as KubernetesObject);
}

export async function deleteWorkload(plane: ConnectedControlPlane, namespace: string, name: string): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(plane.kubeConfig);
  const headers = [
    { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: `${name}-1`, namespace } },
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace } },
    { apiVersion: "v1", kind: "Service", metadata: { name, namespace } },
  ];
  for (const header of headers) {
    try {
      await objects.delete(header);
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 404)) throw err;
    }
  }
}

export async function labelNamespace(plane: ConnectedControlPlane, name: string, labels: Record<string, string | null>): Promise<void> {
  const core = plane.kubeConfig.makeApiClient(CoreV1Api);
  const current = await core.readNamespace({ name });
  const merged = { ...current.metadata?.labels, ...labels };
  const next = Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== null));
  await core.replaceNamespace({ name, body: { ...current, metadata: { ...current.metadata, labels: next } } });
}

/** Deletes the Services, Deployments and EndpointSlices of every namespace whose name starts with `prefix` (namespaces stay: nothing here finalizes them). */
export async function deleteWorkloadsIn(plane: ConnectedControlPlane, prefix: string): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(plane.kubeConfig);
  for (const [apiVersion, kind] of [["discovery.k8s.io/v1", "EndpointSlice"], ["apps/v1", "Deployment"], ["v1", "Service"]] as const) {
    const list = await objects.list(apiVersion, kind);
    for (const item of list.items.filter((i) => (i.metadata?.namespace ?? "").startsWith(prefix))) {
      await objects.delete({ apiVersion, kind, metadata: { name: item.metadata?.name ?? "", namespace: item.metadata?.namespace ?? "" } });
    }
  }
}
