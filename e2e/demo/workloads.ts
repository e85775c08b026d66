// The demo's sample identities, written whole because no controller-manager runs in these control
// planes: per cluster a Namespace, Service, Deployment (pod template labelled `identity: <name>`) and
// the EndpointSlice a real cluster would maintain (two ready pods in the cluster's zone). In the home
// cluster: one ServiceDependency per caller and the TrafficPolicies. Server-side apply throughout.
import { KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";

import { API_VERSION } from "../../crds/index.js";
import type { RunningCluster } from "./fleet.js";
import type { DemoCluster, DemoIdentity, Scenario } from "./scenario.js";

const FIELD_MANAGER = "meridian-demo";
const PODS_PER_WORKLOAD = 2;

function apply(kubeConfig: RunningCluster["kubeConfig"], object: KubernetesObject): Promise<KubernetesObject> {
  return KubernetesObjectApi.makeApiClient(kubeConfig).patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
}

/** Namespace, Service, Deployment and EndpointSlice of one identity in one cluster. */
export function workloadObjects(cluster: DemoCluster, namespace: string, identity: DemoIdentity, index: number): KubernetesObject[] {
  const name = identity.identity;
  const endpoints = Array.from({ length: PODS_PER_WORKLOAD }, (_, i) => ({ addresses: [`${cluster.podPrefix}.${index * 10 + i + 1}`], conditions: { ready: true }, zone: cluster.zone }));
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    { apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec: { selector: { app: name }, ports: [{ name: "http", port: 80, targetPort: 8080 }] } } as KubernetesObject,
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace },
      spec: {
        replicas: PODS_PER_WORKLOAD,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name, identity: name } }, spec: { containers: [{ name: "app", image: `registry.invalid/${name}:1` }] } },
      },
    } as KubernetesObject,
    {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: `${name}-demo`, namespace, labels: { "kubernetes.io/service-name": name } },
      addressType: "IPv4",
      ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      endpoints,
    } as KubernetesObject,
  ];
}

/** The ServiceDependencies and TrafficPolicies, for the home cluster. */
export function homeObjects(scenario: Scenario): KubernetesObject[] {
  const metadata = (name: string): KubernetesObject["metadata"] => ({ name, namespace: scenario.namespace });
  const dependencies = scenario.identities
    .filter((identity) => identity.calls.length > 0)
    .map((identity) => ({ apiVersion: API_VERSION, kind: "ServiceDependency", metadata: metadata(identity.identity), spec: { source: { identity: identity.identity }, destinations: identity.calls.map((callee) => ({ identity: callee })) } }));
  const policies = scenario.identities.flatMap((identity) =>
    identity.policy === undefined ? [] : [{ apiVersion: API_VERSION, kind: "TrafficPolicy", metadata: metadata(identity.identity), spec: { identity: identity.identity, ...identity.policy } }],
  );
  return [{ apiVersion: "v1", kind: "Namespace", metadata: { name: scenario.namespace } }, ...dependencies, ...policies];
}

/** Writes every workload into its clusters and the dependencies and policies into the home cluster. */
export async function deployWorkloads(scenario: Scenario, clusters: readonly RunningCluster[], home: RunningCluster): Promise<void> {
  await Promise.all(
    clusters.map(async (running) => {
      for (const [index, identity] of scenario.identities.entries()) {
        if (!identity.runsIn.includes(running.cluster.name)) continue;
        for (const object of workloadObjects(running.cluster, scenario.namespace, identity, index)) await apply(running.kubeConfig, object);
      }
    }),
  );
  for (const object of homeObjects(scenario)) await apply(home.kubeConfig, object);
}
