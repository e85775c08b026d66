// `meridian controller` as a user runs it (a child process), against three real control planes in
// two regions and a real Redis: it writes what the plan says, follows every kind of change, repairs
// drift, leaves objects it does not own alone, and writes nothing when nothing changed.
import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import type { ServiceEntry } from "../crds/istio.js";
import { IDENTITY_LABEL } from "../controller/core/index.js";
import { waitUntil } from "./harness/wait-until.js";
import { statusOf } from "./support/clusters.js";
import { apply, setUpFleet, SYNC, type Member, type TestFleet } from "./support/controller-fleet.js";
import { isReady, metricSum, printControllerLog, startControllerProcess, type ControllerProcess } from "./support/controller-process.js";
import { printFederationLog } from "./support/federation-runtime.js";
import { applyWorkload, deleteWorkload, setReady } from "./support/federation-workloads.js";

const ISTIO = { group: "networking.istio.io", version: "v1", namespace: SYNC };

describe("meridian controller", () => {
  let fleet: TestFleet;
  let controller: ControllerProcess | undefined;
  let port = 0;
  let a: Member, c: Member, b: Member;
  let payments = "", checkout = "";

  const entries = async (member: Member, identity: string): Promise<ServiceEntry[]> => {
    const api = member.plane.kubeConfig.makeApiClient(CustomObjectsApi);
    const list = (await api.listNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", labelSelector: `${IDENTITY_LABEL}=${identity}` })) as { items: ServiceEntry[] };
    return list.items;
  };
  const endpointsOf = async (member: Member, identity: string): Promise<string[]> => ((await entries(member, identity))[0]?.spec.endpoints ?? []).map((e) => `${e.address} ${e.locality}`).sort();

  beforeAll(async () => {
    fleet = await setUpFleet("ctl");
    [a, c, b] = fleet.members as [Member, Member, Member];
    [payments, checkout] = [`payments-${fleet.id}`, `checkout-${fleet.id}`];
    fleet.identities.add(payments).add(checkout);
    await applyWorkload(a.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 2 });
    await applyWorkload(b.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 1 });
    await applyWorkload(c.plane, { namespace: fleet.namespace, name: "checkout", identity: checkout, ready: 1 });
    await apply(fleet.home.objects, fleet.dependency("checkout", checkout, [payments]));
    controller = startControllerProcess({ homeKubeconfig: fleet.home.info.kubeconfig, redisUrl: fleet.redisUrl, args: ["--resync-interval", "4s"] });
    port = await controller.port();
  });

  afterAll(async () => {
    await controller?.stop();
    await fleet.cleanUp();
  });

  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      printControllerLog(controller);
      printFederationLog(fleet.federation, 40);
    }),
  );

  test("writes a ServiceEntry per cluster: gateways of both regions in the caller's, local plus the other's gateway where payments runs; a DestinationRule in each", async () => {
    await fleet.converged("the first plan to be written");
    await waitUntil(() => isReady(port), { what: "/readyz", timeoutMs: 30_000 });
    expect(await endpointsOf(c, payments)).toEqual([`${a.gateway} us-east/zone-a`, `${b.gateway} eu-west/zone-a`].sort());
    expect(await endpointsOf(a, payments)).toEqual([`${b.gateway} eu-west/zone-a`, `payments.${fleet.namespace}.svc.cluster.local us-east/zone-a`].sort());
    expect(await endpointsOf(b, payments)).toEqual([`${a.gateway} us-east/zone-a`, `payments.${fleet.namespace}.svc.cluster.local eu-west/zone-a`].sort());
    const live = await fleet.live();
    for (const member of [a, b, c]) expect(Object.keys(live[member.cluster] ?? {}).filter((k) => k.startsWith(`DestinationRule/default.${payments}.`)), member.cluster).toHaveLength(1);
    expect(controller?.logged(/^Applied ServiceEntry$/).length).toBeGreaterThanOrEqual(3);
  });

  test("the ServiceDependency's status says what resolved and where it is written", async () => {
    const api = fleet.home.kubeConfig.makeApiClient(CustomObjectsApi);
    const read = async (): Promise<{ status?: { resolved?: unknown[]; clustersWritten?: number; conditions?: { type: string; status: string }[] } }> =>
      (await api.getNamespacedCustomObject({ group: "meridian.dev", version: "v1alpha1", namespace: fleet.namespace, plural: "servicedependencies", name: "checkout" })) as never;
    await waitUntil(async () => (await read()).status?.clustersWritten === 1, { what: "clustersWritten", timeoutMs: 30_000 });
    const { status } = await read();
    expect(status?.resolved).toEqual([{ identity: payments, env: "default" }]);
    expect(Object.fromEntries((status?.conditions ?? []).map((c) => [c.type, c.status]))).toEqual({ Resolved: "True", Synced: "True" });
  });

  test("steady state: a full resync with nothing changed writes nothing", async () => {
    const writes = await metricSum(port, "meridian_api_writes_total");
    const resyncs = controller?.logged(/^Enqueued a full resync$/).length ?? 0;
    const reconciles = await metricSum(port, "meridian_reconciles_total");
    await waitUntil(async () => (controller?.logged(/^Enqueued a full resync$/).length ?? 0) >= resyncs + 2, { what: "two more resyncs", timeoutMs: 30_000 });
    await waitUntil(async () => (await metricSum(port, "meridian_queue_jobs", 'state="waiting"')) + (await metricSum(port, "meridian_queue_jobs", 'state="active"')) === 0, { what: "the queues to drain", timeoutMs: 30_000 });
    expect(await metricSum(port, "meridian_reconciles_total")).toBeGreaterThan(reconciles);
    expect(await metricSum(port, "meridian_api_writes_total")).toBe(writes);
  });

  test("a hand-deleted ServiceEntry and a hand-edited DestinationRule are restored; an unowned object under a desired name is never touched", async () => {
    const api = (member: Member): CustomObjectsApi => member.plane.kubeConfig.makeApiClient(CustomObjectsApi);
    const [inC] = await entries(c, payments);
    const ruleName = Object.keys((await fleet.live())[a.cluster] ?? {}).find((k) => k.startsWith("DestinationRule/"))?.split("/")[1] ?? "";
    await api(c).deleteNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name: inC?.metadata.name ?? "" });
    await apply(a.plane.objects, { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: ruleName, namespace: SYNC }, spec: { host: "tampered.example" } } as KubernetesObject);
    const [inB] = await entries(b, payments);
    const name = inB?.metadata.name ?? "";
    const foreign = { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name, namespace: SYNC }, spec: { hosts: ["someone-else.example"], location: "MESH_EXTERNAL", resolution: "DNS", ports: [{ number: 80, name: "http", protocol: "HTTP" }] } };
    // Someone takes the generated name over: the object is replaced by theirs, without Meridian's label.
    // (Deleting it and creating theirs races Meridian, which repairs a deletion at once.)
    await waitUntil(
      async () => {
        const current = (await api(b).getNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name })) as KubernetesObject;
        const body = { ...foreign, metadata: { ...foreign.metadata, resourceVersion: current.metadata?.resourceVersion } };
        return (await statusOf(api(b).replaceNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name, body }))) === undefined;
      },
      { what: "the generated name taken over (409 while Meridian writes it: again)", timeoutMs: 30_000 },
    );
    const before = (await api(b).getNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name })) as KubernetesObject;
    await waitUntil(async () => (await entries(c, payments)).length === 1 && (controller?.logged(/^Skipped conflicting ServiceEntry$/).length ?? 0) > 0, { what: "the repair and the conflict report", timeoutMs: 30_000 });
    await waitUntil(async () => JSON.stringify((await fleet.live())[a.cluster]) === JSON.stringify((await fleet.planned())[a.cluster]), { what: "the DestinationRule's repair", timeoutMs: 30_000 });
    const after = (await api(b).getNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name })) as KubernetesObject & { spec: unknown };
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(after.spec).toEqual(foreign.spec);
    await api(b).deleteNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name });
    await fleet.converged("the ServiceEntry to come back once the name is free");
  });

  test("scaling to zero removes the endpoint everywhere; the endpoint comes back with the pods", async () => {
    await setReady(b.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 0 });
    await fleet.converged("payments in the eu-west cluster to leave every ServiceEntry");
    expect(await endpointsOf(c, payments)).toEqual([`${a.gateway} us-east/zone-a`]);
    expect(await endpointsOf(a, payments)).toEqual([`payments.${fleet.namespace}.svc.cluster.local us-east/zone-a`]);
    await setReady(b.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 1 });
    await fleet.converged("payments to come back");
    expect(await endpointsOf(c, payments)).toHaveLength(2);
  });

  test("removing the dependency prunes payments from the caller's cluster; adding it back restores it", async () => {
    await statusOf(fleet.home.objects.delete(fleet.dependency("checkout", checkout, [payments])));
    await fleet.converged("the pruning");
    expect(await entries(c, payments)).toEqual([]);
    expect(await entries(a, payments)).toHaveLength(1);
    await apply(fleet.home.objects, fleet.dependency("checkout", checkout, [payments]));
    await fleet.converged("the dependency's objects to come back");
    expect(await entries(c, payments)).toHaveLength(1);
  });

  test("removing a cluster withdraws its endpoints from the others", async () => {
    await fleet.unregister(b);
    await waitUntil(async () => (await endpointsOf(c, payments)).length === 1, { what: "the eu-west gateway to leave", timeoutMs: 30_000 });
    expect(await endpointsOf(c, payments)).toEqual([`${a.gateway} us-east/zone-a`]);
    expect(await endpointsOf(a, payments)).toEqual([`payments.${fleet.namespace}.svc.cluster.local us-east/zone-a`]);
    await fleet.register(b);
    await fleet.converged("the cluster's return");
  });

  test("deleting the last workload of an identity removes its ServiceEntries everywhere", async () => {
    await deleteWorkload(a.plane, fleet.namespace, "payments");
    await deleteWorkload(b.plane, fleet.namespace, "payments");
    await fleet.converged("payments to disappear");
    for (const member of [a, b, c]) expect(await entries(member, payments), member.cluster).toEqual([]);
  });

  test("SIGTERM stops it gracefully: exit code 0 and the lease released", async () => {
    expect(await controller?.stop()).toBe(0);
    expect(controller?.logged(/^Stopped$/)).toHaveLength(1);
    controller = undefined;
  });
});
