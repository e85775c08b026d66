// What each informer lists and watches: the watch path and the matching list call (with a request
// deadline), for the kinds read in member clusters and the custom resources read in the home cluster.

import { AppsV1Api, CoreV1Api, CustomObjectsApi, DiscoveryV1Api } from "@kubernetes/client-node";
import type { KubeConfig, KubernetesListObject, KubernetesObject } from "@kubernetes/client-node";

import { GROUP, RESOURCES, VERSION } from "../../crds/index.js";
import type { Kind } from "../../crds/index.js";
import { makeClient } from "../kube/clients.js";
import type { InformerSpec } from "./watch-generation.js";

/** The kinds a workload is derived from. */
export type WorkloadKind = "services" | "endpointslices" | "deployments" | "rollouts";
export const WORKLOAD_KINDS: readonly WorkloadKind[] = Object.freeze(["services", "endpointslices", "deployments", "rollouts"]);

export const ROLLOUT_API_VERSION = "argoproj.io/v1alpha1";

export class KindApis {
  readonly core: CoreV1Api;
  readonly discovery: DiscoveryV1Api;
  readonly apps: AppsV1Api;
  readonly custom: CustomObjectsApi;

  constructor(kubeConfig: KubeConfig, timeoutMs: number) {
    this.core = makeClient(kubeConfig, CoreV1Api, timeoutMs);
    this.discovery = makeClient(kubeConfig, DiscoveryV1Api, timeoutMs);
    this.apps = makeClient(kubeConfig, AppsV1Api, timeoutMs);
    this.custom = makeClient(kubeConfig, CustomObjectsApi, timeoutMs);
  }
}

const PATHS: Readonly<Record<WorkloadKind, { prefix: string; plural: string; qualified: string }>> = {
  services: { prefix: "/api/v1", plural: "services", qualified: "services" },
  endpointslices: { prefix: "/apis/discovery.k8s.io/v1", plural: "endpointslices", qualified: "endpointslices.discovery.k8s.io" },
  deployments: { prefix: "/apis/apps/v1", plural: "deployments", qualified: "deployments.apps" },
  rollouts: { prefix: `/apis/${ROLLOUT_API_VERSION}`, plural: "rollouts", qualified: "rollouts.argoproj.io" },
};

function spec<T extends KubernetesObject>(what: string, path: string, list: () => Promise<unknown>, selectors: Partial<InformerSpec<T>> = {}): InformerSpec<T> {
  return { what, path, list: list as () => Promise<KubernetesListObject<T>>, ...selectors };
}

/** A workload kind in one namespace, or in every namespace when `namespace` is undefined. */
export function workloadSpec(kind: WorkloadKind, apis: KindApis, namespace?: string): InformerSpec<KubernetesObject> {
  const { prefix, plural, qualified } = PATHS[kind];
  const scope = namespace === undefined ? "" : `/namespaces/${namespace}`;
  const what = namespace === undefined ? `${qualified} (cluster-wide)` : `${qualified} in namespace ${namespace}`;
  return spec(what, `${prefix}${scope}/${plural}`, workloadList(kind, apis, namespace));
}

function workloadList(kind: WorkloadKind, apis: KindApis, namespace: string | undefined): () => Promise<unknown> {
  const all = namespace === undefined;
  const ns = namespace ?? "";
  switch (kind) {
    case "services":
      return () => (all ? apis.core.listServiceForAllNamespaces() : apis.core.listNamespacedService({ namespace: ns }));
    case "endpointslices":
      return () => (all ? apis.discovery.listEndpointSliceForAllNamespaces() : apis.discovery.listNamespacedEndpointSlice({ namespace: ns }));
    case "deployments":
      return () => (all ? apis.apps.listDeploymentForAllNamespaces() : apis.apps.listNamespacedDeployment({ namespace: ns }));
    default: {
      const rollouts = { group: "argoproj.io", version: "v1alpha1", plural: "rollouts" };
      return () => (all ? apis.custom.listClusterCustomObject(rollouts) : apis.custom.listNamespacedCustomObject({ ...rollouts, namespace: ns }));
    }
  }
}

/** Namespaces, narrowed by a label selector when the discovery scope has one. */
export function namespaceSpec(apis: KindApis, labelSelector: string | undefined): InformerSpec<KubernetesObject> {
  const what = labelSelector === undefined ? "namespaces" : `namespaces matching ${labelSelector}`;
  const list = (): Promise<unknown> => apis.core.listNamespace(labelSelector === undefined ? {} : { labelSelector });
  return spec(what, "/api/v1/namespaces", list, labelSelector === undefined ? {} : { labelSelector });
}

/** One Service, by name: the east-west gateway whose load-balancer address is the cluster's gateway. */
export function gatewayServiceSpec(apis: KindApis, ref: { namespace: string; name: string }): InformerSpec<KubernetesObject> {
  const fieldSelector = `metadata.name=${ref.name}`;
  const list = (): Promise<unknown> => apis.core.listNamespacedService({ namespace: ref.namespace, fieldSelector });
  return spec(`gateway Service ${ref.namespace}/${ref.name}`, `/api/v1/namespaces/${ref.namespace}/services`, list, { fieldSelector });
}

/** Secrets in one namespace of the home cluster (the member credentials). */
export function secretSpec(apis: KindApis, namespace: string): InformerSpec<KubernetesObject> {
  return spec(`secrets in namespace ${namespace}`, `/api/v1/namespaces/${namespace}/secrets`, () => apis.core.listNamespacedSecret({ namespace }));
}

/** One of Meridian's custom resources, in every namespace (or cluster-scoped). */
export function customResourceSpec(kind: Kind, apis: KindApis): InformerSpec<KubernetesObject> {
  const { plural } = RESOURCES[kind];
  const list = (): Promise<unknown> => apis.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural });
  return spec(`${plural}.${GROUP}`, `/apis/${GROUP}/${VERSION}/${plural}`, list);
}
