// Real istiod in the loop: the controller writes into three members in three regions; an istiod
// for the client's member reads what it wrote, and the xDS probe asks it, as the client's sidecar,
// for the Envoy clusters it would serve. The routes are checked where they take effect: the
// endpoints, their localities, priorities and weights, not the objects at the Kubernetes API.
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { API_VERSION } from "../crds/index.js";
import { startIstiod, type Istiod, type MeshNetwork } from "./harness/istiod.js";
import { waitUntil } from "./harness/wait-until.js";
import { setUpFleet, apply, type Member, type TestFleet } from "./support/controller-fleet.js";
import { printControllerLog, startControllerProcess, type ControllerProcess } from "./support/controller-process.js";
import { Drills } from "./support/drills.js";
import { deleteHomeObjects } from "./support/federation-members.js";
import { applyWorkload, ensureNamespace, setReady } from "./support/federation-workloads.js";
import { clusterNamed, endpointSummary, probeXds, watchXds, type ProbeCluster, type ProbeResult } from "./support/xds-probe.js";

const REGIONS = ["us-east", "eu-west", "ap-south"];
const GATEWAY_PORT = 15443;
const ZONE = "zone-a";
const POLICIES = {
  topology: { mode: "Topology", regions: ["eu-west", "us-east"] },
  failover: { mode: "Failover", regions: ["eu-west"] },
  weighted: { mode: "Weighted", weights: [{ region: "us-east", weight: 70 }, { region: "eu-west", weight: 30 }] },
};
const SERVED = ["payments", ...Object.keys(POLICIES)];
/** payments serves HTTP, gRPC and a plain TCP port; the others only HTTP. */
const PAYMENTS_PORTS = [{ name: "http", port: 80, targetPort: 8080 }, { name: "grpc", port: 9090, targetPort: 9090 }, { name: "tcp-db", port: 5432, targetPort: 5432 }];

describe("what a client's sidecar gets from real istiod", () => {
  let fleet: TestFleet;
  let controller: ControllerProcess | undefined;
  let a: Member, b: Member, c: Member;
  const istiods: Istiod[] = [];
  const id = (base: string): string => `${base}-${fleet.id}`;
  const host = (base: string, port = 80): string => `outbound|${port}||default.${id(base)}.global`;
  const local = (base: string, port = 80): string => `${base}.${fleet.namespace}.svc.cluster.local:${port}`;
  const gateway = (m: Member): string => `${m.gateway}:${GATEWAY_PORT}`;

  /** Every member's network with its gateway, as a multi-network install declares them. */
  const everyNetwork = (): MeshNetwork[] => fleet.members.map((m) => ({ name: m.cluster, clusterIds: [m.cluster], gateways: [{ address: m.gateway, port: GATEWAY_PORT }] }));

  async function istiodFor(member: Member, networks: MeshNetwork[]): Promise<Istiod> {
    const istiod = await startIstiod({ kubeconfig: member.plane.info.kubeconfig, kubeConfigObject: member.plane.kubeConfig, clusterId: member.cluster, networks });
    istiods.push(istiod);
    return istiod;
  }

  /** The client's sidecar in member c. */
  const clientProxy = () => ({ type: "sidecar" as const, ip: "10.10.0.7", pod: "client-0", namespace: fleet.namespace, clusterId: c.cluster, network: c.cluster, region: c.region, zone: ZONE, labels: { app: "client" } });

  /** The client sidecar's view of `base`'s host, once it satisfies `ready` (istiod debounces pushes). */
  async function seen(istiod: Istiod, base: string, ready: (cluster: ProbeCluster | undefined) => boolean = (cl) => cl !== undefined, port = 80): Promise<ProbeCluster | undefined> {
    let last: ProbeCluster | undefined;
    const proxy = clientProxy();
    await waitUntil(async () => {
      last = clusterNamed(await probeXds({ xdsAddress: istiod.xdsAddress, proxy, clusterFilter: ".global" }), host(base, port));
      return ready(last);
    }, { what: `${host(base, port)} in the client's sidecar config`, timeoutMs: 30_000, intervalMs: 500, failIf: () => (istiod.process.exited() ? `istiod exited:\n${istiod.logTail(30)}` : undefined) }).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)}`, { cause: err });
    });
    return last;
  }

  beforeAll(async () => {
    fleet = await setUpFleet("xds", { regions: REGIONS });
    await deleteHomeObjects(fleet.home);
    [a, b, c] = fleet.members as [Member, Member, Member];
    for (const base of SERVED) {
      fleet.identities.add(id(base));
      const ports = base === "payments" ? PAYMENTS_PORTS : undefined;
      for (const m of [a, b, c]) await applyWorkload(m.plane, { namespace: fleet.namespace, name: base, identity: id(base), ready: 1, zone: ZONE, ports });
    }
    await applyWorkload(c.plane, { namespace: fleet.namespace, name: "client", identity: id("client"), ready: 1, zone: ZONE });
    await apply(fleet.home.objects, fleet.dependency("client", id("client"), SERVED.map(id)));
    for (const [base, spec] of Object.entries(POLICIES)) {
      await apply(fleet.home.objects, { apiVersion: API_VERSION, kind: "TrafficPolicy", metadata: { name: base, namespace: fleet.namespace }, spec: { identity: id(base), ...spec } } as KubernetesObject);
    }
    controller = startControllerProcess({ homeKubeconfig: fleet.home.info.kubeconfig, redisUrl: fleet.redisUrl });
    await fleet.converged("the client's hosts", 120_000);
  });

  afterAll(async () => {
    for (const istiod of istiods) await istiod.stop();
    await controller?.stop();
    await deleteHomeObjects(fleet.home);
    await fleet.cleanUp();
  });

  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      printControllerLog(controller);
      for (const istiod of istiods) console.error(`istiod ${istiod.clusterId}:\n${istiod.logTail(60)}`);
    }),
  );

  test("the client sees its own cluster's Service first, then the other regions' gateways (Topology: in the declared order)", async () => {
    const istiod = await istiodFor(c, everyNetwork());
    // No policy is Topology with no regions: after the client's region, the others by name (a ring).
    expect(endpointSummary(await seen(istiod, "payments"))).toEqual([`${gateway(a)}@2`, `${gateway(b)}@1`, `${local("payments")}@0`].sort());
    // regions [eu-west, us-east], then ap-south (not listed) after them: from ap-south the ring goes on with eu-west.
    expect(endpointSummary(await seen(istiod, "topology"))).toEqual([`${gateway(a)}@2`, `${gateway(b)}@1`, `${local("topology")}@0`].sort());
  });

  test("every port is a cluster of its own, a TCP port too, with the same endpoints on that port", async () => {
    const istiod = istiods[0] ?? (await istiodFor(c, everyNetwork()));
    for (const port of [9090, 5432]) {
      const cluster = await seen(istiod, "payments", undefined, port);
      expect(endpointSummary(cluster)).toEqual([`${gateway(a)}@2`, `${gateway(b)}@1`, `${local("payments", port)}@0`].sort());
    }
  });

  test("Failover: the first listed region with endpoints at priority 0, every other endpoint the fallback", async () => {
    const istiod = istiods[0] ?? (await istiodFor(c, everyNetwork()));
    expect(endpointSummary(await seen(istiod, "failover"))).toEqual([`${gateway(a)}@1`, `${gateway(b)}@0`, `${local("failover")}@1`].sort());
  });

  test("Weighted: each region's locality carries its weight", async () => {
    const istiod = istiods[0] ?? (await istiodFor(c, everyNetwork()));
    const cluster = await seen(istiod, "weighted");
    const weights = Object.fromEntries((cluster?.endpoints ?? []).map((e) => [e.locality.region, e.localityWeight]));
    expect(weights).toEqual({ "us-east": 70, "eu-west": 30 });
  });

  test("during a drill of a region no client sees an endpoint there; after it, all are back", async () => {
    const istiod = istiods[0] ?? (await istiodFor(c, everyNetwork()));
    const before = endpointSummary(await seen(istiod, "payments"));
    const drills = new Drills(fleet.home, fleet.namespace);
    await drills.create("evacuate-eu-west", { target: { region: b.region }, identities: [id("payments")], duration: "5s" });
    expect(phase(await drills.waitFor("evacuate-eu-west", ["Holding", "Failed", "Refused"]))).toBe("Holding");
    const during = endpointSummary(await seen(istiod, "payments", (cl) => cl !== undefined && !cl.endpoints.some((e) => e.locality.region === b.region)));
    expect(during).toEqual([`${gateway(a)}@1`, `${local("payments")}@0`]);
    expect(phase(await drills.waitFor("evacuate-eu-west", ["Completed", "Failed", "Aborted"], 60_000))).toBe("Completed");
    expect(endpointSummary(await seen(istiod, "payments", (cl) => endpointSummary(cl).join() === before.join()))).toEqual(before);
  });

  // The benchmark's sidecar figure rests on this: a probe that stays connected is pushed each change.
  test("a connected sidecar is pushed each change: an endpoint leaves when its cluster stops serving, and comes back", async () => {
    const istiod = istiods[0] ?? (await istiodFor(c, everyNetwork()));
    const watch = await watchXds({ xdsAddress: istiod.xdsAddress, proxy: clientProxy(), clusterFilter: ".global" });
    try {
      const topology = (clusters: readonly ProbeCluster[]): string[] => endpointSummary(clusters.find((cl) => cl.name === host("topology")));
      const before = topology((await watch.waitFor((clusters) => topology(clusters).length === 3, 30_000, "topology's three endpoints")).clusters);
      const removedAt = Date.now();
      await setReady(a.plane, { namespace: fleet.namespace, name: "topology", identity: id("topology"), ready: 0, zone: ZONE });
      const without = await watch.waitFor((clusters) => topology(clusters).length === 2 && !topology(clusters).some((e) => e.startsWith(`${gateway(a)}@`)), 30_000, "topology without a's gateway");
      expect(without.atMs).toBeGreaterThan(removedAt);
      expect(topology(without.clusters)).toEqual(before.filter((e) => !e.startsWith(`${gateway(a)}@`)));
      await setReady(a.plane, { namespace: fleet.namespace, name: "topology", identity: id("topology"), ready: 1, zone: ZONE });
      expect(topology((await watch.waitFor((clusters) => topology(clusters).length === 3, 30_000, "topology's three endpoints again")).clusters)).toEqual(before);
    } finally {
      await watch.stop();
    }
  });

  // The network question: Meridian's endpoints carry `network`, and istiod treats endpoints on
  // another network than the client's specially (split horizon). Settled here with real istiod.
  test("cross-network endpoints stay when istiod knows no gateway for their network", async () => {
    const own = { name: c.cluster, clusterIds: [c.cluster], gateways: [{ address: c.gateway, port: GATEWAY_PORT }] };
    const istiod = await istiodFor(c, [own]);
    expect(endpointSummary(await seen(istiod, "payments"))).toEqual([`${gateway(a)}@2`, `${gateway(b)}@1`, `${local("payments")}@0`].sort());
    await istiod.stop();
  });

  // A ServiceEntry with DNS resolution is an Envoy cluster of type STRICT_DNS; for those istiod
  // consults only its set of *unresolved* gateways, which (1.31 line) stays empty after the first
  // load of meshNetworks. So the endpoints are served as Meridian wrote them, never replaced by
  // (or dropped for) a gateway istiod knows. If a later Istio fills that set, this test shows it.
  test("even when istiod knows another gateway for a network, the endpoints are served as written", async () => {
    const networks = everyNetwork().map((n) => (n.name === a.cluster ? { ...n, gateways: [{ address: "192.0.2.121", port: GATEWAY_PORT }] } : n));
    const istiod = await istiodFor(c, networks);
    expect(endpointSummary(await seen(istiod, "payments"))).toEqual([`${gateway(a)}@2`, `${gateway(b)}@1`, `${local("payments")}@0`].sort());
    await istiod.stop();
  });

  test("the serving cluster's east-west gateway passes the global host's SNI through to the local Service", async () => {
    await ensureNamespace(a.plane, "istio-system");
    await apply(a.plane.objects, EAST_WEST_GATEWAY);
    const istiod = await istiodFor(a, everyNetwork());
    const sni = `outbound_.80_._.default.${id("payments")}.global`;
    const proxy = { type: "router" as const, ip: "10.10.0.9", pod: "istio-eastwestgateway-0", namespace: "istio-system", clusterId: a.cluster, network: a.cluster, region: a.region, zone: ZONE, labels: { istio: "eastwestgateway" } };
    let last: ProbeResult | undefined;
    await waitUntil(async () => {
      last = await probeXds({ xdsAddress: istiod.xdsAddress, proxy, clusterFilter: sni, listeners: true });
      return last.clusters.length > 0 && (last.listeners ?? []).some((l) => l.filterChains.some((fc) => fc.serverNames.includes(sni)));
    }, { what: `${sni} on the gateway`, timeoutMs: 30_000, intervalMs: 500 }).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)?.slice(0, 4000)}`, { cause: err });
    });
    const listener = last?.listeners?.find((l) => l.port === GATEWAY_PORT);
    expect(listener?.filterChains.find((fc) => fc.serverNames.includes(sni))?.tcpCluster).toBe(sni);
    // The gateway prefers its own cluster's Service (alone at priority 0). Open question, not
    // fixed: the same cluster also holds the other clusters' gateways at lower priorities (the
    // member's ServiceEntry serves local clients too), so with the local Service ejected the
    // gateway forwards to another cluster's gateway: a second hop (see e2e/README.md).
    const endpoints = clusterNamed(last as ProbeResult, sni)?.endpoints ?? [];
    expect(endpoints.filter((e) => e.priority === 0).map((e) => `${e.address}:${e.port}`)).toEqual([local("payments")]);
    await istiod.stop();
    await a.plane.objects.delete(EAST_WEST_GATEWAY);
  });
});


/**
 * The east-west Gateway of a multi-network install (Istio's samples/multicluster/expose-services.yaml,
 * with Meridian's host suffix): SNI passthrough on 15443 for every `*.global` host. Meridian does not
 * write it; the member's Istio install owns it.
 */
const EAST_WEST_GATEWAY = {
  apiVersion: "networking.istio.io/v1",
  kind: "Gateway",
  metadata: { name: "cross-network-gateway", namespace: "istio-system" },
  spec: { selector: { istio: "eastwestgateway" }, servers: [{ port: { number: GATEWAY_PORT, name: "tls", protocol: "TLS" }, tls: { mode: "AUTO_PASSTHROUGH" }, hosts: ["*.global"] }] },
} as KubernetesObject;

function phase(drill: { status?: { phase?: string } }): string | undefined {
  return drill.status?.phase;
}
