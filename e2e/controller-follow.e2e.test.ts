// The controller follows every change at once, with the periodic resync set far away (10 minutes) so
// that it cannot be what repairs anything here: a caller entering or leaving a cluster brings or takes
// its destinations' hosts there; hand-deleted or hand-edited objects and a cleared name conflict are
// repaired by the watch on generated objects; a write waiting in retry backoff for a member that was
// unreachable is superseded by a newer change as soon as the member answers again.
import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import type { ServiceEntry } from "../crds/istio.js";
import { IDENTITY_LABEL } from "../controller/core/index.js";
import { startControlPlane } from "./harness/control-plane.js";
import type { ControlPlane } from "./harness/control-plane.js";
import { waitUntil } from "./harness/wait-until.js";
import { connect } from "./support/clusters.js";
import { apply, setUpFleet, SYNC, type Member, type TestFleet } from "./support/controller-fleet.js";
import { metricSum, printControllerLog, startControllerProcess, type ControllerProcess } from "./support/controller-process.js";
import { printFederationLog, suffix } from "./support/federation-runtime.js";
import { applyWorkload, deleteWorkload, setReady } from "./support/federation-workloads.js";

const ISTIO = { group: "networking.istio.io", version: "v1", namespace: SYNC };
/** "At once" on a shared, busy machine: far below the 10-minute resync and any retry backoff here. */
const PROMPTLY_MS = 10_000;

describe("the controller follows every change at once (resync 10 minutes away)", () => {
  let own: ControlPlane | undefined;
  let fleet: TestFleet;
  let controller: ControllerProcess | undefined;
  let port = 0;
  let a: Member, c: Member, b: Member, x: Member;
  let web = "", checkout = "", payments = "", orders = "", stock = "";

  const api = (member: Member): CustomObjectsApi => member.plane.kubeConfig.makeApiClient(CustomObjectsApi);
  const entries = async (member: Member, identity: string): Promise<ServiceEntry[]> =>
    ((await api(member).listNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", labelSelector: `${IDENTITY_LABEL}=${identity}` })) as { items: ServiceEntry[] }).items;
  const objectsIn = async (member: Member, identity: string): Promise<string[]> => Object.keys((await fleet.live())[member.cluster] ?? {}).filter((key) => key.includes(`.${identity}.`));
  /** Milliseconds until `check` holds; fails after PROMPTLY_MS. */
  const timeUntil = async (what: string, check: () => Promise<boolean>): Promise<number> => {
    const started = Date.now();
    await waitUntil(check, { what, timeoutMs: PROMPTLY_MS, intervalMs: 50 });
    const ms = Date.now() - started;
    console.log(JSON.stringify({ figure: what, ms }));
    return ms;
  };

  beforeAll(async () => {
    own = await startControlPlane({ name: `fol-${suffix()}` });
    const { name, server, kubeconfig, adminToken, logFiles } = own;
    fleet = await setUpFleet("fol", { extra: connect({ name, server, kubeconfig, adminToken, logFiles: [...logFiles] }) });
    [a, c, b, x] = fleet.members as [Member, Member, Member, Member];
    [web, checkout, payments, orders, stock] = ["web", "checkout", "payments", "orders", "stock"].map((n) => `${n}-${fleet.id}`) as [string, string, string, string, string];
    for (const identity of [web, checkout, payments, orders, stock]) fleet.identities.add(identity);
    const ns = fleet.namespace;
    await applyWorkload(a.plane, { namespace: ns, name: "web", identity: web, ready: 1 });
    await applyWorkload(c.plane, { namespace: ns, name: "web", identity: web, ready: 1 });
    await applyWorkload(x.plane, { namespace: ns, name: "web", identity: web, ready: 1 });
    await applyWorkload(a.plane, { namespace: ns, name: "checkout", identity: checkout, ready: 1 });
    await applyWorkload(a.plane, { namespace: ns, name: "payments", identity: payments, ready: 1 });
    await applyWorkload(b.plane, { namespace: ns, name: "payments", identity: payments, ready: 1 });
    await apply(fleet.home.objects, fleet.dependency("web", web, [checkout, payments]));
    // A retry backoff of 10 s, 20 s, 40 s (no jitter), so a job in backoff is easy to tell from one that runs.
    controller = startControllerProcess({ homeKubeconfig: fleet.home.info.kubeconfig, redisUrl: fleet.redisUrl, args: ["--resync-interval", "10m", "--queue-backoff", "10s", "--queue-backoff-jitter", "0"] });
    port = await controller.port();
    await fleet.converged("the first plan", 120_000);
    await waitUntil(async () => (controller?.logged(/^Enqueued a full resync$/).length ?? 0) > 0, { what: "the start-up resync", timeoutMs: 90_000 });
    await fleet.converged("the start-up resync", 60_000);
  });

  afterAll(async () => {
    await controller?.stop();
    await own?.restartApiServer().catch(() => undefined);
    await fleet?.cleanUp();
    await own?.stop();
  });

  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      printControllerLog(controller, 200);
      printFederationLog(fleet.federation, 40);
    }),
  );

  test("the only caller leaving a cluster takes its destinations' objects out of it at once; coming back brings them back at once", async () => {
    expect(await objectsIn(c, payments)).toHaveLength(2);
    expect(await objectsIn(c, checkout)).toHaveLength(2);
    await deleteWorkload(c.plane, fleet.namespace, "web");
    await timeUntil("destinations' objects leaving the cluster the caller left", async () => (await objectsIn(c, payments)).length + (await objectsIn(c, checkout)).length === 0);
    await applyWorkload(c.plane, { namespace: fleet.namespace, name: "web", identity: web, ready: 1 });
    await timeUntil("destinations' objects arriving where the caller arrived", async () => (await objectsIn(c, payments)).length === 2 && (await objectsIn(c, checkout)).length === 2);
    await fleet.converged("the plan", 30_000);
  });

  test("a hand-deleted ServiceEntry and a hand-edited DestinationRule are restored at once", async () => {
    const [entry] = await entries(c, payments);
    await api(c).deleteNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name: entry?.metadata.name ?? "" });
    await timeUntil("a hand-deleted ServiceEntry restored", async () => (await entries(c, payments)).length === 1);
    const rule = (await objectsIn(a, checkout)).find((key) => key.startsWith("DestinationRule/"))?.split("/")[1] ?? "";
    await apply(a.plane.objects, { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: rule, namespace: SYNC }, spec: { host: "tampered.example" } } as KubernetesObject);
    await timeUntil("a hand-edited DestinationRule restored", async () => JSON.stringify((await fleet.live())[a.cluster]) === JSON.stringify((await fleet.planned())[a.cluster]));
    await fleet.converged("the plan", 30_000);
  });

  test("an unowned object under a generated name: Conflict on the ServiceDependency, an Event and a metric; deleted, Meridian writes its own at once", async () => {
    const name = `default.${stock}.global-se`;
    const foreign = { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name, namespace: SYNC }, spec: { hosts: ["someone-else.example"], location: "MESH_EXTERNAL", resolution: "DNS", ports: [{ number: 80, name: "http", protocol: "HTTP" }] } };
    await api(a).createNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", body: foreign });
    await applyWorkload(a.plane, { namespace: fleet.namespace, name: "orders", identity: orders, ready: 1 });
    await applyWorkload(b.plane, { namespace: fleet.namespace, name: "stock", identity: stock, ready: 1 });
    await apply(fleet.home.objects, fleet.dependency("orders", orders, [stock]));
    const home = fleet.home.kubeConfig.makeApiClient(CustomObjectsApi);
    const synced = async (): Promise<{ reason?: string; message?: string } | undefined> => {
      const object = (await home.getNamespacedCustomObject({ group: "meridian.dev", version: "v1alpha1", namespace: fleet.namespace, plural: "servicedependencies", name: "orders" })) as { status?: { conditions?: { type: string; reason?: string; message?: string }[] } };
      return object.status?.conditions?.find((condition) => condition.type === "Synced");
    };
    await waitUntil(async () => (await synced())?.reason === "Conflict", { what: "Synced=False Conflict on the ServiceDependency", timeoutMs: 30_000 });
    expect((await synced())?.message).toContain(`ServiceEntry ${SYNC}/${name} in cluster ${a.cluster}`);
    const events = async (): Promise<string[]> => (await fleet.home.core.listNamespacedEvent({ namespace: fleet.namespace })).items.filter((e) => e.involvedObject.name === "orders").map((e) => `${e.type} ${e.reason}`);
    await waitUntil(async () => (await events()).includes("Warning Conflict"), { what: "a Warning Event with reason Conflict", timeoutMs: 30_000 });
    expect(await metricSum(port, "meridian_conflicts", `cluster="${a.cluster}"`)).toBeGreaterThan(0);

    await api(a).deleteNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name });
    await timeUntil("Meridian's own object once the unowned one is deleted", async () => (await entries(a, stock)).some((entry) => entry.metadata.name === name));
    await fleet.converged("the plan", 30_000);
    await waitUntil(async () => (await synced())?.reason === "Synced", { what: "Synced=True", timeoutMs: 30_000 });
    expect(await metricSum(port, "meridian_conflicts", `cluster="${a.cluster}"`)).toBe(0);
  });

  test("a write that failed for a member that became unreachable waits without growing backoff, and a newer change is applied once the member answers", async () => {
    await own?.stopApiServer();
    // payments leaves a: x's ServiceEntry must drop a's gateway, but x does not answer; the write fails.
    await setReady(a.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 0 });
    const failures = (): Record<string, unknown>[] => (controller?.logged(/^Reconcile failed; will retry$/) ?? []).filter((line) => line["cluster"] === x.cluster && line["identity"] === payments);
    const paused = (): boolean => (controller?.logged(/^Paused the cluster's reconcile queue/) ?? []).some((line) => line["cluster"] === x.cluster);
    // Once x is pending (its watches fail), its queue is paused: no attempt after that, so no retry
    // backoff grows while it is away (it used to reach 40 s and hold back newer work).
    await waitUntil(async () => failures().length > 0 && paused(), { what: "a failed attempt and x's queue paused", timeoutMs: 60_000 });
    const attempts = failures().length;
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    expect(failures().length, "attempts while x's queue is paused").toBe(attempts);
    await own?.restartApiServer();
    // The newer change: payments in b moves to zone-b (the locality of b's gateway endpoint in x).
    await setReady(b.plane, { namespace: fleet.namespace, name: "payments", identity: payments, ready: 1, zone: "zone-b" });
    const want = async (): Promise<boolean> => {
      const [entry] = await entries(x, payments);
      return JSON.stringify(entry?.spec.endpoints.map((e) => `${e.address} ${e.locality}`)) === JSON.stringify([`${b.gateway} eu-west/zone-b`]);
    };
    await timeUntil("the newer change applied in the member that was unreachable", want);
    await fleet.converged("the plan", 30_000);
  }, 240_000); // 30 s of outage by design, then the member's restart
});
