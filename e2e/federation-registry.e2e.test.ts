// The registry and the identity graph against three real members in two regions: east-1 (the home
// cluster itself) and east-2 in us-east, west-1 in us-west. Registration is done as `meridian cluster
// register` does it (least-privilege ServiceAccount, token kubeconfig whose user is `admin` in every
// member, Secret + MeshCluster); the test then changes workloads and home objects and checks the graph
// snapshot and the keys the graph reports.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import type { PlanInput } from "../controller/core/model.js";
import { API_VERSION, GROUP, VERSION } from "../crds/index.js";
import { controlPlanes } from "./support/clusters.js";
import { apply, conditionMessage, meshClusterStatus, memberCredentials, register, unregisterAll, waitForConditions } from "./support/federation-members.js";
import { identitiesSince, printFederationLog, settle, startFederation, suffix, waitForGraph, workloadsOf } from "./support/federation-runtime.js";
import type { RunningFederation } from "./support/federation-runtime.js";
import { applyWorkload, deleteWorkload, deleteWorkloadsIn, ensureNamespace, labelNamespace, setReady } from "./support/federation-workloads.js";

const ALL_TRUE = { Connected: "True Connected", CredentialsValid: "True Authenticated", PermissionsVerified: "True Verified", Synced: "True Synced" };

describe("federation: three members in two regions", () => {
  const [home, eu, ap] = controlPlanes();
  if (home === undefined || eu === undefined || ap === undefined) throw new Error("The e2e setup provides three control planes.");
  const id = suffix();
  const ns = { a: `fed-${id}-a`, b: `fed-${id}-b`, out: `fed-${id}-out`, home: `fed-${id}-home`, picked: `fed-${id}-picked`, unpicked: `fed-${id}-unpicked` };
  const meshLabel = { "meridian.dev/e2e-mesh": id };
  let federation: RunningFederation | undefined;

  const fed = (): RunningFederation => {
    if (federation === undefined) throw new Error("The federation did not start.");
    return federation;
  };

  beforeAll(async () => {
    await unregisterAll(home);
    const [east1, east2, west1] = await Promise.all([memberCredentials(home), memberCredentials(eu), memberCredentials(ap)]);
    await ensureNamespace(home, ns.home);
    await register(home, "east-1", east1, { region: "us-east", zone: "us-east-1a" });
    await register(home, "east-2", east2, { region: "us-east", discovery: { namespaceSelector: { matchLabels: meshLabel } } });
    await register(home, "west-1", west1, { region: "us-west", discovery: { namespaces: [ns.a, ns.b] }, gateway: { address: "192.0.2.10" } });
    federation = await startFederation(home.kubeConfig);
  });

  afterAll(async () => {
    federation?.stop();
    await unregisterAll(home);
    await deleteWorkloadsIn(home, `fed-${id}-`);
    await deleteWorkloadsIn(eu, `fed-${id}-`);
    await deleteWorkloadsIn(ap, `fed-${id}-`);
  });

  beforeEach(({ onTestFailed }) => onTestFailed(() => printFederationLog(federation)));

  test("each MeshCluster gets Connected, CredentialsValid, PermissionsVerified and Synced, its server version and workload count", async () => {
    for (const cluster of ["east-1", "east-2", "west-1"]) await waitForConditions(home, cluster, ALL_TRUE);
    for (const cluster of ["east-1", "east-2", "west-1"]) {
      const status = await meshClusterStatus(home, cluster);
      expect(status).toMatchObject({ serverVersion: expect.stringMatching(/^v1\.\d+\.\d+/), workloadCount: expect.any(Number), observedGeneration: 1 });
      expect(status?.lastSyncTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      // Every kubeconfig calls its user `admin`: each member still authenticates with its own token.
      expect(await conditionMessage(home, cluster, "CredentialsValid")).toContain("as system:serviceaccount:meridian-system:meridian");
    }
    await waitForGraph(fed(), "three clusters in the graph", (s) => s.clusters.length === 3);
    expect(fed().graph.snapshot().clusters).toEqual([
      { name: "east-1", region: "us-east", zone: "us-east-1a", network: "east-1" },
      { name: "east-2", region: "us-east", zone: "", network: "east-2" },
      { name: "west-1", region: "us-west", zone: "", network: "west-1", gateway: { address: "192.0.2.10", port: 15443 } },
    ]);
    expect(fed().registry.ready()).toBe(true);
    // The snapshot is the planner's input (less its options), checked by the compiler.
    const input: Omit<PlanInput, "options"> = fed().graph.snapshot();
    expect(input.workloads).toBeInstanceOf(Array);
  });

  test("a workload created, run in a second cluster, scaled to zero, moved, relabelled and deleted: the graph follows and the keys name exactly its identities", async () => {
    const payments = `payments-${id}`;
    const cart = `cart-${id}`;
    await applyWorkload(home, { namespace: ns.a, name: "cart", identity: cart, ready: 1 });
    await waitForGraph(fed(), "cart in east-1", (s) => workloadsOf(s, cart).length === 1);
    let mark = await settle(fed());

    await applyWorkload(home, { namespace: ns.a, name: "pay", identity: payments, ready: 2, zone: "us-east-1b" });
    await waitForGraph(fed(), "payments in east-1 with 2 ready", (s) => workloadsOf(s, payments)[0]?.readyByZone["us-east-1b"] === 2);
    expect(workloadsOf(fed().graph.snapshot(), payments)).toEqual([
      { identity: payments, env: "default", cluster: "east-1", namespace: ns.a, service: "pay", ports: [{ name: "http", port: 80, targetPort: 8080 }], readyByZone: { "us-east-1b": 2 } },
    ]);
    expect(identitiesSince(fed(), mark)).toEqual([payments]);
    mark = await settle(fed());

    await applyWorkload(ap, { namespace: ns.a, name: "pay", identity: payments, ready: 1, zone: "us-west-1a" });
    await waitForGraph(fed(), "payments in west-1", (s) => workloadsOf(s, payments).some((w) => w.cluster === "west-1" && w.readyByZone["us-west-1a"] === 1));
    expect(identitiesSince(fed(), mark)).toEqual([payments]);
    mark = await settle(fed());

    await setReady(home, { namespace: ns.a, name: "pay", identity: payments, ready: 0 });
    await waitForGraph(fed(), "payments in east-1 scaled to zero", (s) => workloadsOf(s, payments).some((w) => w.cluster === "east-1" && Object.keys(w.readyByZone).length === 0));
    expect(identitiesSince(fed(), mark)).toEqual([payments]);
    mark = await settle(fed());

    await applyWorkload(home, { namespace: ns.b, name: "pay", identity: payments, ready: 3 });
    await deleteWorkload(home, ns.a, "pay");
    await waitForGraph(fed(), "payments moved to namespace b", (s) => workloadsOf(s, payments).some((w) => w.cluster === "east-1" && w.namespace === ns.b && w.readyByZone["zone-a"] === 3));
    await settle(fed());
    expect(identitiesSince(fed(), mark)).toEqual([payments]);
    expect(workloadsOf(fed().graph.snapshot(), payments).map((w) => `${w.cluster}/${w.namespace}`)).toEqual([`east-1/${ns.b}`, `west-1/${ns.a}`]);
    mark = fed().changes.length;

    const basket = `basket-${id}`;
    await applyWorkload(home, { namespace: ns.a, name: "cart", identity: basket, ready: 1 });
    await waitForGraph(fed(), "cart relabelled to basket", (s) => workloadsOf(s, basket).length === 1 && workloadsOf(s, cart).length === 0);
    await settle(fed());
    expect(identitiesSince(fed(), mark)).toEqual([basket, cart].sort());
    mark = fed().changes.length;

    await deleteWorkload(home, ns.b, "pay");
    await deleteWorkload(ap, ns.a, "pay");
    await waitForGraph(fed(), "payments gone", (s) => workloadsOf(s, payments).length === 0);
    await settle(fed());
    expect(identitiesSince(fed(), mark)).toEqual([payments]);
    const east1Count = fed().graph.snapshot().workloads.filter((w) => w.cluster === "east-1").length;
    await expect.poll(async () => (await meshClusterStatus(home, "east-1"))?.workloadCount, { timeout: 10_000 }).toBe(east1Count);
  });

  test("ServiceDependencies, TrafficPolicies and active FailoverDrills reach the graph, and their keys name source, destinations and scope", async () => {
    const [checkout, payments, inventory] = [`checkout-${id}`, `payments-${id}`, `inventory-${id}`];
    let mark = await settle(fed());
    const dependency = (destinations: string[]): KubernetesObject =>
      ({ apiVersion: API_VERSION, kind: "ServiceDependency", metadata: { name: "checkout", namespace: ns.home }, spec: { source: { identity: checkout }, destinations: destinations.map((identity) => ({ identity })) } }) as KubernetesObject;

    await apply(home.objects, dependency([payments]));
    await waitForGraph(fed(), "the dependency", (s) => s.dependencies.some((d) => d.source.identity === checkout));
    await settle(fed());
    expect(identitiesSince(fed(), mark)).toEqual([checkout, payments].sort());
    mark = fed().changes.length;

    await apply(home.objects, dependency([inventory]));
    await waitForGraph(fed(), "the new destination", (s) => s.dependencies.some((d) => d.destinations[0]?.identity === inventory));
    await settle(fed());
    expect(identitiesSince(fed(), mark)).toEqual([checkout, inventory, payments].sort());
    mark = fed().changes.length;

    await apply(home.objects, { apiVersion: API_VERSION, kind: "TrafficPolicy", metadata: { name: "payments", namespace: ns.home }, spec: { identity: payments, mode: "Failover", regions: ["us-west", "us-east"] } } as KubernetesObject);
    await waitForGraph(fed(), "the policy", (s) => s.policies.some((p) => p.identity === payments && p.mode === "Failover"));
    await settle(fed());
    expect(identitiesSince(fed(), mark)).toEqual([payments]);
    mark = fed().changes.length;

    await apply(home.objects, { apiVersion: API_VERSION, kind: "FailoverDrill", metadata: { name: "east", namespace: ns.home }, spec: { target: { region: "us-east" }, identities: [payments] } } as KubernetesObject);
    await settle(fed());
    expect(fed().graph.snapshot().drills).toEqual([]);
    expect(identitiesSince(fed(), mark)).toEqual([]);

    const custom = home.kubeConfig.makeApiClient(CustomObjectsApi);
    const setPhase = (phase: string): Promise<unknown> =>
      custom.patchNamespacedCustomObjectStatus(
        { group: GROUP, version: VERSION, plural: "failoverdrills", namespace: ns.home, name: "east", body: { apiVersion: API_VERSION, kind: "FailoverDrill", metadata: { name: "east", namespace: ns.home }, status: { phase } }, fieldManager: "meridian-e2e-drill", force: true },
        setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
      );
    await setPhase("Evacuating");
    await waitForGraph(fed(), "the active drill", (s) => s.drills.length === 1);
    expect(fed().graph.snapshot().drills).toEqual([{ ref: { kind: "FailoverDrill", namespace: ns.home, name: "east" }, target: { region: "us-east" }, identities: [payments] }]);
    await settle(fed());
    expect(identitiesSince(fed(), mark)).toEqual([payments]);
    mark = fed().changes.length;

    await setPhase("Holding");
    await settle(fed());
    expect(identitiesSince(fed(), mark)).toEqual([]);

    await setPhase("Completed");
    await waitForGraph(fed(), "the drill ended", (s) => s.drills.length === 0);
    await settle(fed());
    expect(identitiesSince(fed(), mark)).toEqual([payments]);
    mark = fed().changes.length;

    await apply(home.objects, dependency(["*"]));
    await waitForGraph(fed(), "the wildcard dependency", (s) => s.dependencies.some((d) => d.destinations[0]?.identity === "*"));
    await settle(fed());
    expect(identitiesSince(fed(), mark)).toBe("all");
  });

  test("objects outside the discovery scope never reach the graph; a namespace entering or leaving the selector's scope adds or removes its workloads", async () => {
    const [outside, inside, syncOnly, unpicked, picked] = ["outside", "inside", "sync-only", "unpicked", "picked"].map((n) => `${n}-${id}`) as [string, string, string, string, string];
    let mark = await settle(fed());
    // west-1 watches namespaces a and b only; east-1 the default scope (not meridian-sync);
    // east-2 namespaces labelled meridian.dev/e2e-mesh=<id>.
    await applyWorkload(ap, { namespace: ns.out, name: "svc", identity: outside, ready: 1 });
    await applyWorkload(home, { namespace: "meridian-sync", name: `svc-${id}`, identity: syncOnly, ready: 1 });
    await applyWorkload(eu, { namespace: ns.unpicked, name: "svc", identity: unpicked, ready: 1 });
    await ensureNamespace(eu, ns.picked, meshLabel);
    await applyWorkload(eu, { namespace: ns.picked, name: "svc", identity: picked, ready: 1 });
    await applyWorkload(ap, { namespace: ns.b, name: "svc", identity: inside, ready: 1 });
    await waitForGraph(fed(), "the in-scope workloads", (s) => workloadsOf(s, inside).length === 1 && workloadsOf(s, picked).length === 1);
    await settle(fed(), 1_000);
    const snapshot = fed().graph.snapshot();
    for (const identity of [outside, syncOnly, unpicked]) expect(workloadsOf(snapshot, identity)).toEqual([]);
    expect(identitiesSince(fed(), mark)).toEqual([inside, picked].sort());
    mark = fed().changes.length;

    await labelNamespace(eu, ns.unpicked, meshLabel);
    await waitForGraph(fed(), "the namespace entering the scope", (s) => workloadsOf(s, unpicked).length === 1);
    await settle(fed());
    expect(identitiesSince(fed(), mark)).toEqual([unpicked]);
    mark = fed().changes.length;

    await labelNamespace(eu, ns.unpicked, { "meridian.dev/e2e-mesh": null });
    await waitForGraph(fed(), "the namespace leaving the scope", (s) => workloadsOf(s, unpicked).length === 0);
    await settle(fed());
    expect(identitiesSince(fed(), mark)).toEqual([unpicked]);
    await deleteWorkload(home, "meridian-sync", `svc-${id}`);
  });

  test("a deleted MeshCluster is disengaged: its cluster and workloads leave the graph, the keys name its identities, the others carry on", async () => {
    const picked = `picked-${id}`;
    expect(workloadsOf(fed().graph.snapshot(), picked).map((w) => w.cluster)).toEqual(["east-2"]);
    const mark = await settle(fed());
    await home.kubeConfig.makeApiClient(CustomObjectsApi).deleteClusterCustomObject({ group: GROUP, version: VERSION, plural: "meshclusters", name: "east-2" });
    await waitForGraph(fed(), "east-2 gone", (s) => !s.clusters.some((c) => c.name === "east-2"));
    await settle(fed());
    expect(fed().graph.snapshot().workloads.filter((w) => w.cluster === "east-2")).toEqual([]);
    expect(identitiesSince(fed(), mark)).toEqual([picked]);
    expect(fed().logLines.some((line) => line.includes('"cluster":"east-2"') && line.includes("Disengaged cluster"))).toBe(true);
    expect(fed().registry.clusters().map((c) => c.name)).toEqual(["east-1", "west-1"]);
    expect(fed().registry.ready()).toBe(true);
  });
});
