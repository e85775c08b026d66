// What a client's sidecar would do, from real istiod: each cluster gets the east-west Gateway a
// multi-network Istio install has (SNI passthrough of `*.global` on 15443, which `meridian cluster
// register` checks for); after convergence one istiod runs per cluster where a caller of the shown
// identity runs, reading that cluster's API server, and the xDS probe asks it, as the caller's
// sidecar, for the Envoy cluster of the identity's global host: its endpoints and their priorities.
import { KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";

import { startIstiod, type Istiod, type MeshNetwork } from "../harness/istiod.js";
import type { HarnessConfig } from "../harness/index.js";
import { waitUntil } from "../harness/wait-until.js";
import { probeXds, type ProbeCluster, type ProbeEndpoint } from "../support/xds-probe.js";
import { DemoError } from "./demo-error.js";
import type { RunningCluster } from "./fleet.js";
import type { Lifetime } from "./lifetime.js";
import { DEMO_ENV, HOST_SUFFIX, type Scenario } from "./scenario.js";

const FIELD_MANAGER = "meridian-demo";
const GATEWAY_PORT = 15443;
const SIDECAR_WAIT_MS = 30_000;

/** The identity whose routes the demo shows from its callers' sidecars. */
export const SHOWN_IDENTITY = "payments";

/** Istio's samples/multicluster/expose-services.yaml, for Meridian's host suffix. */
export const EAST_WEST_GATEWAY = {
  apiVersion: "networking.istio.io/v1",
  kind: "Gateway",
  metadata: { name: "cross-network-gateway", namespace: "istio-system" },
  spec: { selector: { istio: "eastwestgateway" }, servers: [{ port: { number: GATEWAY_PORT, name: "tls", protocol: "TLS" }, tls: { mode: "AUTO_PASSTHROUGH" }, hosts: [`*.${HOST_SUFFIX}`] }] },
} as KubernetesObject;

export async function installEastWestGateway(running: RunningCluster): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(running.kubeConfig);
  const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "istio-system" } } as KubernetesObject;
  for (const object of [namespace, EAST_WEST_GATEWAY]) await objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
}

/** A sidecar the demo asks istiod about: a caller of SHOWN_IDENTITY in one cluster. */
export interface DemoSidecar {
  readonly cluster: RunningCluster;
  readonly caller: string;
  readonly istiod: Istiod;
}

/** The clusters where a caller of SHOWN_IDENTITY runs, one caller each (the first by scenario order). */
function callerClusters(scenario: Scenario, clusters: readonly RunningCluster[]): { cluster: RunningCluster; caller: string }[] {
  const callers = scenario.identities.filter((identity) => identity.calls.includes(SHOWN_IDENTITY));
  return clusters.flatMap((cluster) => {
    const caller = callers.find((identity) => identity.runsIn.includes(cluster.cluster.name));
    return caller === undefined ? [] : [{ cluster, caller: caller.identity }];
  });
}

/** Every cluster is a network of its own, reached through its gateway: meshNetworks as the install declares it. */
function meshNetworks(scenario: Scenario): MeshNetwork[] {
  return scenario.clusters.map((c) => ({ name: c.name, clusterIds: [c.name], gateways: [{ address: c.gateway, port: GATEWAY_PORT }] }));
}

export async function startSidecarIstiods(scenario: Scenario, clusters: readonly RunningCluster[], config: HarnessConfig, lifetime: Lifetime): Promise<DemoSidecar[]> {
  const networks = meshNetworks(scenario);
  return Promise.all(
    callerClusters(scenario, clusters).map(async ({ cluster, caller }) => {
      const istiod = await lifetime.track(startIstiod({ kubeconfig: cluster.plane.kubeconfig, kubeConfigObject: cluster.kubeConfig, clusterId: cluster.cluster.name, networks, config }));
      lifetime.own(`istiod for ${cluster.cluster.name} (PID ${istiod.process.pid})`, () => istiod.stop());
      return { cluster, caller, istiod };
    }),
  );
}

/** `TrafficPolicy Failover: us-east-1 first`, or the default. */
export function shownPolicy(scenario: Scenario): string {
  const policy = scenario.identities.find((identity) => identity.identity === SHOWN_IDENTITY)?.policy;
  return policy === undefined ? "no TrafficPolicy: Topology" : `TrafficPolicy ${policy.mode}: ${policy.regions.join(", ")} first`;
}

export const shownHost = (): string => `${DEMO_ENV}.${SHOWN_IDENTITY}.${HOST_SUFFIX}`;
const envoyCluster = (): string => `outbound|80||${shownHost()}`;

/** Asks istiod, as the sidecar, until `ready` holds for the host's Envoy cluster; returns it. */
async function sidecarCluster(scenario: Scenario, sidecar: DemoSidecar, ready: SidecarReady): Promise<ProbeCluster> {
  const { cluster, caller, istiod } = sidecar;
  const proxy = { type: "sidecar" as const, ip: `${cluster.cluster.podPrefix}.250`, pod: `${caller}-0`, namespace: scenario.namespace, clusterId: cluster.cluster.name, network: cluster.cluster.name, region: cluster.cluster.region, zone: cluster.cluster.zone, labels: { app: caller } };
  let last: ProbeCluster | undefined;
  try {
    await waitUntil(
      async () => {
        last = (await probeXds({ xdsAddress: istiod.xdsAddress, proxy, clusterFilter: shownHost() })).clusters.find((c) => c.name === envoyCluster());
        return last !== undefined && ready(sidecar, last);
      },
      { what: `${envoyCluster()} in ${caller}'s sidecar in ${cluster.cluster.name}`, timeoutMs: SIDECAR_WAIT_MS, intervalMs: 250 },
    );
  } catch (err) {
    throw new DemoError(`istiod in ${cluster.cluster.name} did not serve ${envoyCluster()} as expected: ${(err as Error).message}; last seen: ${JSON.stringify(last)}\n${istiod.logTail(20)}`, { cause: err });
  }
  return last as ProbeCluster;
}

/** `us-east-1b's gateway 192.0.2.20:15443`, or `the local Service payments.shop.svc.cluster.local:80`. */
function endpointText(scenario: Scenario, endpoint: ProbeEndpoint): string {
  const address = `${endpoint.address}:${endpoint.port}`;
  const owner = scenario.clusters.find((c) => c.gateway === endpoint.address);
  return owner === undefined ? `the local Service ${address}` : `${owner.name}'s gateway ${address}`;
}

/** One line per sidecar: the endpoints grouped by priority, highest priority first. */
export function renderSidecarLine(scenario: Scenario, sidecar: DemoSidecar, cluster: ProbeCluster): string {
  const priorities = [...new Set(cluster.endpoints.map((e) => e.priority))].sort((a, b) => a - b);
  const groups = priorities.map((p) => `priority ${p}: ${cluster.endpoints.filter((e) => e.priority === p).map((e) => endpointText(scenario, e)).sort().join(", ")}`);
  return `${sidecar.cluster.cluster.name}, ${sidecar.caller}'s sidecar → ${groups.length === 0 ? "no endpoints" : groups.join("; ")}`;
}

/** When a sidecar's view of the host is the one to show. */
export type SidecarReady = (sidecar: DemoSidecar, cluster: ProbeCluster) => boolean;

/** Every sidecar's line, once its view satisfies `ready`. */
export async function sidecarLines(scenario: Scenario, sidecars: readonly DemoSidecar[], ready: SidecarReady): Promise<string[]> {
  return Promise.all(sidecars.map(async (sidecar) => renderSidecarLine(scenario, sidecar, await sidecarCluster(scenario, sidecar, ready))));
}

/** Nothing drilled: one endpoint per cluster running SHOWN_IDENTITY. */
export function allEndpoints(scenario: Scenario): SidecarReady {
  const count = scenario.identities.find((identity) => identity.identity === SHOWN_IDENTITY)?.runsIn.length ?? 0;
  return (_sidecar, cluster) => cluster.endpoints.length === count;
}

/** `region` drilled: no endpoint there (its clusters' gateways, and the local Service of a sidecar in it), some elsewhere. */
export function noneIn(scenario: Scenario, region: string): SidecarReady {
  const gateways = new Set(scenario.clusters.filter((c) => c.region === region).map((c) => c.gateway));
  const isGateway = (address: string): boolean => scenario.clusters.some((c) => c.gateway === address);
  return (sidecar, cluster) => {
    const local = sidecar.cluster.cluster.region === region;
    const drilled = (e: ProbeEndpoint): boolean => gateways.has(e.address) || (local && !isGateway(e.address));
    return cluster.endpoints.length > 0 && !cluster.endpoints.some(drilled);
  };
}
