// The reconciler of one key (cluster, identity) against the real control planes: three clusters
// registered with the CLI, the federation running in-process, workloads and a ServiceDependency
// written by hand, and `reconcile` run for every key. The tests check the objects in the members.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, test } from "vitest";

import { API_VERSION } from "../crds/index.js";
import type { DestinationRule, ServiceEntry } from "../crds/istio.js";
import { IDENTITY_LABEL, MANAGED_BY_LABEL } from "../controller/core/index.js";
import { CLUSTER_LABEL } from "../controller/core/endpoints.js";
import { PermanentReconcileError, SharedWriteRate, writeRateKey } from "../controller/queue/index.js";
import { PlannerCache } from "../controller/reconcile/planner-cache.js";
import { applyObject } from "../controller/reconcile/apply-objects.js";
import { applyIfCurrent } from "../controller/reconcile/confirm-write.js";
import { MemberObjectCache } from "../controller/reconcile/member-object-cache.js";
import { Reconciler } from "../controller/reconcile/reconciler.js";
import type { ReconcileResult } from "../controller/reconcile/reconciler.js";
import { clusterName } from "../federation/graph-model.js";
import { waitUntil } from "./harness/wait-until.js";
import { apiServerRequests } from "./support/apiserver-metrics.js";
import { controlPlanes, statusOf, type ConnectedControlPlane } from "./support/clusters.js";
import { apply, unregisterAll } from "./support/federation-members.js";
import { printFederationLog, startFederation, suffix, waitForGraph, type RunningFederation } from "./support/federation-runtime.js";
import { applyWorkload, deleteWorkloadsIn, ensureNamespace } from "./support/federation-workloads.js";
import { meridian } from "./support/meridian-cli.js";

const planes = controlPlanes();
const [home, second, third] = planes as [ConnectedControlPlane, ConnectedControlPlane, ConnectedControlPlane];
const HOME = ["--home-kubeconfig", home.info.kubeconfig];
const names = planes.map((plane) => `rec-${plane.info.name}`);
const [c1, c2, c3] = names as [string, string, string];
const regions = ["us-east", "us-east", "eu-west"];
const gateways = ["192.0.2.11", "192.0.2.12", "192.0.2.13"];
const SYNC = "meridian-sync";
const redis = new Redis(inject("redis").url);
/** The controller's default write limit, in the Redis every replica shares. */
const writeRate = new SharedWriteRate(redis, { perSecond: 20, burst: 40 });
const ISTIO = { group: "networking.istio.io", version: "v1", namespace: SYNC };
const id = suffix();
const [payments, checkout] = [`payments-${id}`, `checkout-${id}`];
const ns = { app: `rec-${id}`, home: `rec-${id}-home` };
const options = { hostSuffix: "global", syncNamespace: SYNC, exportToLimit: 10 };

const custom = (plane: ConnectedControlPlane): CustomObjectsApi => plane.kubeConfig.makeApiClient(CustomObjectsApi);
const planeOf = (cluster: string): ConnectedControlPlane => planes[names.indexOf(cluster)] as ConnectedControlPlane;

async function listOf<T>(cluster: string, plural: string, identity: string): Promise<T[]> {
  const list = (await custom(planeOf(cluster)).listNamespacedCustomObject({ ...ISTIO, plural, labelSelector: `${IDENTITY_LABEL}=${identity}` })) as { items: T[] };
  return list.items;
}
const serviceEntries = (cluster: string, identity: string): Promise<ServiceEntry[]> => listOf(cluster, "serviceentries", identity);
const destinationRules = (cluster: string, identity: string): Promise<DestinationRule[]> => listOf(cluster, "destinationrules", identity);

/** `kind/name → resourceVersion` of every object of both identities in every cluster. */
async function resourceVersions(): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const cluster of names) {
    for (const identity of [payments, checkout]) {
      const objects = [...(await serviceEntries(cluster, identity)), ...(await destinationRules(cluster, identity))] as KubernetesObject[];
      for (const o of objects) versions[`${cluster}/${o.kind}/${o.metadata?.name}`] = o.metadata?.resourceVersion ?? "";
    }
  }
  return versions;
}

const dependency = (): KubernetesObject =>
  ({ apiVersion: API_VERSION, kind: "ServiceDependency", metadata: { name: "checkout", namespace: ns.home }, spec: { source: { identity: checkout }, destinations: [{ identity: payments }] } }) as KubernetesObject;

describe("the reconciler makes each member's objects what the planner wants", () => {
  let federation: RunningFederation | undefined;
  let reconciler: Reconciler;
  const fed = (): RunningFederation => federation as RunningFederation;

  async function reconcileAll(by: Reconciler = reconciler): Promise<Map<string, ReconcileResult>> {
    const results = new Map<string, ReconcileResult>();
    for (const cluster of names) {
      for (const identity of [payments, checkout]) {
        results.set(`${cluster}/${identity}`, await by.reconcile({ cluster, identity, observedAt: Date.now(), cause: "e2e" }));
      }
    }
    return results;
  }
  const writesOf = (results: Map<string, ReconcileResult>): string[] =>
    [...results.entries()].flatMap(([key, r]) => [...r.applied.map((o) => `${key} apply ${o.kind}`), ...r.deleted.map((o) => `${key} delete ${o.kind}`)]);

  beforeAll(async () => {
    await unregisterAll(home);
    for (const [i, plane] of planes.entries()) {
      const run = await meridian("cluster", "register", names[i] ?? "", "--kubeconfig", plane.info.kubeconfig, "--region", regions[i] ?? "", "--gateway-address", gateways[i] ?? "", ...HOME);
      expect(run.stderr).not.toMatch(/^error:/m);
      expect(run.code).toBe(0);
    }
    federation = await startFederation(home.kubeConfig);
    const log = pino({ level: "debug", base: undefined }, { write: (line: string) => void fed().logLines.push(line.trimEnd()) });
    reconciler = new Reconciler({ planner: new PlannerCache(fed().graph, options), clusters: fed().registry, log, writeRate });
    await ensureNamespace(home, ns.home);
    await applyWorkload(home, { namespace: ns.app, name: "payments", identity: payments, ready: 2 });
    await applyWorkload(third, { namespace: ns.app, name: "payments", identity: payments, ready: 1 });
    await applyWorkload(second, { namespace: ns.app, name: "checkout", identity: checkout, ready: 1 });
    await apply(home.objects, dependency());
    await waitForGraph(
      fed(),
      "three clusters, both identities and the dependency",
      (s) => s.clusters.length === 3 && s.workloads.filter((w) => w.identity === payments).length === 2 && s.workloads.some((w) => w.identity === checkout) && s.dependencies.some((d) => d.source.identity === checkout),
      30_000,
    );
  });

  afterAll(async () => {
    await redis.quit();
    federation?.stop();
    await unregisterAll(home);
    for (const plane of planes) {
      await deleteWorkloadsIn(plane, ns.app);
      const api = custom(plane);
      for (const plural of ["serviceentries", "destinationrules"]) {
        const list = (await api.listNamespacedCustomObject({ ...ISTIO, plural })) as { items: KubernetesObject[] };
        const ours = list.items.filter((o) => [payments, checkout].includes(o.metadata?.labels?.[IDENTITY_LABEL] ?? "") || (o.metadata?.name ?? "").includes(id));
        for (const o of ours) await statusOf(api.deleteNamespacedCustomObject({ ...ISTIO, plural, name: o.metadata?.name ?? "" }));
      }
    }
    await statusOf(home.objects.delete(dependency()));
  });

  beforeEach(({ onTestFailed }) => onTestFailed(() => printFederationLog(federation)));

  test("writes each cluster's ServiceEntries and DestinationRules, accepted by Istio's CRDs", async () => {
    const results = await reconcileAll();
    expect([...results.values()].flatMap((r) => r.conflicts)).toEqual([]);
    const [inCheckout] = await serviceEntries(c2, payments);
    expect(inCheckout?.metadata.labels[MANAGED_BY_LABEL]).toBe("meridian");
    expect(inCheckout?.spec.hosts).toEqual([`default.${payments}.global`]);
    expect(inCheckout?.spec.endpoints.map((e) => [e.address, e.locality?.split("/")[0]]).sort()).toEqual([
      [gateways[0], "us-east"],
      [gateways[2], "eu-west"],
    ]);
    for (const [cluster, other] of [[c1, gateways[2]], [c3, gateways[0]]] as const) {
      const [entry] = await serviceEntries(cluster, payments);
      const addresses = entry?.spec.endpoints.map((e) => e.address) ?? [];
      expect(addresses, cluster).toContain(other);
      expect(addresses, cluster).toContain(`payments.${ns.app}.svc.cluster.local`);
      expect(addresses, cluster).toHaveLength(2);
    }
    for (const cluster of [c1, c2, c3]) expect((await destinationRules(cluster, payments)).map((d) => d.spec.host), cluster).toEqual([`default.${payments}.global`]);
  });

  test("a second reconcile of everything writes nothing", async () => {
    const before = await resourceVersions();
    const results = await reconcileAll();
    expect(writesOf(results)).toEqual([]);
    expect(await resourceVersions()).toEqual(before);
  });

  test("a cluster that stops being pending while a key is planned keeps the live endpoints that plan did not know (held, not removed)", async () => {
    // The plan is made while the third cluster is pending (its workloads unknown: the plan lacks its
    // endpoint); it syncs before the live objects are read. The reconcile must still hold that endpoint.
    let planned = false;
    class PlannedWithoutThird extends PlannerCache {
      override desiredFor(cluster: string, identity: string): ReturnType<PlannerCache["desiredFor"]> {
        const desired = super.desiredFor(cluster, identity);
        planned = true;
        const objects = desired.objects.map((o) => (o.kind === "ServiceEntry" ? { ...o, spec: { ...o.spec, endpoints: o.spec.endpoints.filter((e) => e.labels[CLUSTER_LABEL] !== c3) } } : o));
        return { ...desired, objects };
      }
    }
    const racing = new Reconciler({ planner: new PlannedWithoutThird(fed().graph, options), clusters: fed().registry, log: pino({ level: "silent" }), writeRate, pendingClusters: () => new Set(planned ? [] : [c3]) });
    const result = await racing.reconcile({ cluster: c2, identity: payments, observedAt: Date.now(), cause: "e2e" });
    expect(result.held.map((o) => o.kind)).toContain("ServiceEntry");
    expect(result.applied).toEqual([]);
    const [entry] = await serviceEntries(c2, payments);
    expect(entry?.spec.endpoints.map((e) => e.labels[CLUSTER_LABEL]).sort()).toEqual([c1, c3].sort());
  });

  test("a deleted ServiceEntry and an edited DestinationRule are repaired", async () => {
    const [entry] = await serviceEntries(c2, payments);
    const [rule] = await destinationRules(c1, payments);
    await custom(second).deleteNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name: entry?.metadata.name ?? "" });
    await apply(home.objects, { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: rule?.metadata.name ?? "", namespace: SYNC }, spec: { host: "tampered.example" } } as KubernetesObject);
    expect((await destinationRules(c1, payments))[0]?.spec.host).toBe("tampered.example");
    const results = await reconcileAll();
    expect(writesOf(results).sort()).toEqual([`${c1}/${payments} apply DestinationRule`, `${c2}/${payments} apply ServiceEntry`].sort());
    expect((await serviceEntries(c2, payments))[0]?.spec).toEqual(entry?.spec);
    expect((await destinationRules(c1, payments))[0]?.spec).toEqual(rule?.spec);
    expect(writesOf(await reconcileAll())).toEqual([]);
  });

  test("a field added by hand to a generated spec is removed once, and then nothing is written", async () => {
    const [entry] = await serviceEntries(c2, payments);
    const name = entry?.metadata.name ?? "";
    const api = custom(second);
    // As `kubectl edit` would: another field manager adds a field Meridian does not set.
    const patch = { spec: { subjectAltNames: ["spiffe://cluster.local/ns/x/sa/y"] } };
    await api.patchNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name, body: patch, fieldManager: "kubectl-edit" }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    expect((await serviceEntries(c2, payments))[0]?.spec).toHaveProperty("subjectAltNames");
    expect(writesOf(await reconcileAll())).toEqual([`${c2}/${payments} apply ServiceEntry`]);
    expect((await serviceEntries(c2, payments))[0]?.spec).toEqual(entry?.spec);
    expect(writesOf(await reconcileAll())).toEqual([]);
  });

  test("an apply (field validation Ignore) with a field the member's CRD does not know is refused, naming the field, and writes nothing", async () => {
    const desired = new PlannerCache(fed().graph, options).desiredFor(c2, payments).objects.find((o) => o.kind === "ServiceEntry");
    if (desired === undefined) throw new Error(`no ServiceEntry planned for ${payments} in ${c2}`);
    const [before] = await listOf<KubernetesObject>(c2, "serviceentries", payments);
    // As if the member's Istio CRDs predated a field Meridian writes; the endpoints change too.
    const spec = { ...desired.spec, endpoints: [], fieldFromANewerIstio: true };
    const refused = await applyObject(custom(second), { ...desired, spec } as unknown as typeof desired).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(refused?.message).toContain(".spec.fieldFromANewerIstio: field not declared in schema");
    const [after] = await listOf<KubernetesObject>(c2, "serviceentries", payments);
    expect(after?.metadata?.resourceVersion).toBe(before?.metadata?.resourceVersion);
    expect(writesOf(await reconcileAll())).toEqual([]);
  });

  test("an unowned ServiceEntry with a desired name is never modified; the conflict is reported", async () => {
    const [entry] = await serviceEntries(c3, payments);
    const name = entry?.metadata.name ?? "";
    const api = custom(third);
    await api.deleteNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name });
    const foreign = { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name, namespace: SYNC }, spec: { hosts: ["someone-else.example"], location: "MESH_EXTERNAL", resolution: "DNS", ports: [{ number: 80, name: "http", protocol: "HTTP" }] } };
    await api.createNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", body: foreign });
    const before = (await api.getNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name })) as KubernetesObject & { spec: unknown };
    const result = await reconciler.reconcile({ cluster: c3, identity: payments, observedAt: Date.now(), cause: "e2e" });
    expect(result.conflicts.map((c) => [c.kind, c.name])).toEqual([["ServiceEntry", name]]);
    expect(result.applied).toEqual([]);
    const after = (await api.getNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name })) as KubernetesObject & { spec: unknown };
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(after.spec).toEqual(before.spec);
    expect(fed().logLines.some((line) => line.includes('"level":40') && line.includes(name))).toBe(true);
    await api.deleteNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name });
    const repaired = await reconciler.reconcile({ cluster: c3, identity: payments, observedAt: Date.now(), cause: "e2e" });
    expect(repaired.applied).toEqual([{ kind: "ServiceEntry", name }]);
  });

  test("an apply made against a listed version that changed meanwhile reads the object again: as desired is left alone, taken over is a conflict, else applied", async () => {
    const api = custom(second);
    const desired = new PlannerCache(fed().graph, options).desiredFor(c2, payments).objects.find((o) => o.kind === "ServiceEntry");
    if (desired === undefined) throw new Error(`no ServiceEntry planned for ${payments} in ${c2}`);
    const name = desired.metadata.name;
    const read = async (): Promise<KubernetesObject & { spec: unknown }> => (await api.getNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name })) as KubernetesObject & { spec: unknown };
    const tamper = (): Promise<unknown> =>
      api.patchNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name, body: { spec: { hosts: ["tampered.example"] } }, fieldManager: "kubectl-edit" }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
    // Another replica wrote it meanwhile (changed, then back as desired): nothing to write.
    const listed = (await read()).metadata?.resourceVersion;
    await tamper();
    expect(await applyIfCurrent(api, desired, (await read()).metadata?.resourceVersion)).toEqual({ result: "applied" });
    const current = await read();
    expect(current.metadata?.resourceVersion).not.toBe(listed);
    expect(await applyIfCurrent(api, desired, listed)).toEqual({ result: "unchanged" });
    expect((await read()).metadata?.resourceVersion).toBe(current.metadata?.resourceVersion);
    // Changed by hand after the list: applied against the version read again.
    await tamper();
    expect(await applyIfCurrent(api, desired, current.metadata?.resourceVersion)).toEqual({ result: "applied" });
    expect((await read()).spec).toEqual(desired.spec);
    // Taken over by someone else under the same name: reported, not touched.
    const stale = (await read()).metadata?.resourceVersion;
    await api.deleteNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name });
    await api.createNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", body: { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name, namespace: SYNC }, spec: { hosts: ["someone-else.example"], location: "MESH_EXTERNAL", resolution: "DNS", ports: [{ number: 80, name: "http", protocol: "HTTP" }] } } });
    const foreign = await read();
    const outcome = await applyIfCurrent(api, desired, stale);
    expect(outcome.result).toBe("conflict");
    expect(await read()).toEqual(foreign);
    await api.deleteNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name });
    expect(writesOf(await reconcileAll())).toEqual([`${c2}/${payments} apply ServiceEntry`]);
  });

  test("writes wait for the cluster's token bucket, which two replicas share in Redis", async () => {
    const waits: number[] = [];
    const sleep = (ms: number): Promise<void> => (waits.push(ms), new Promise((resolve) => setTimeout(resolve, ms)));
    await redis.del(writeRateKey(c1));
    // Two replicas, one bucket: 2 writes per second, 1 at once, for both together.
    const limit = { perSecond: 2, burst: 1 };
    const replica = (): Reconciler => new Reconciler({ planner: new PlannerCache(fed().graph, options), clusters: fed().registry, log: pino({ level: "silent" }), writeRate: new SharedWriteRate(redis, limit), sleep });
    const [one, two] = [replica(), replica()];
    const remove = async (plural: string): Promise<void> => {
      const [object] = await listOf<KubernetesObject>(c1, plural, payments);
      await custom(home).deleteNamespacedCustomObject({ ...ISTIO, plural, name: object?.metadata?.name ?? "" });
    };
    await remove("serviceentries");
    const started = Date.now();
    expect((await one.reconcile({ cluster: c1, identity: payments, observedAt: started, cause: "e2e" })).applied.map((o) => o.kind)).toEqual(["ServiceEntry"]);
    await remove("destinationrules");
    expect((await two.reconcile({ cluster: c1, identity: payments, observedAt: started, cause: "e2e" })).applied.map((o) => o.kind)).toEqual(["DestinationRule"]);
    // The first write took the only token; the other replica's write waited for the next one (500 ms).
    expect(waits.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  test("an unknown cluster is an error to retry; a forbidden namespace is permanent", async () => {
    const job = { identity: payments, observedAt: Date.now(), cause: "e2e" };
    const error = await reconciler.reconcile({ ...job, cluster: "not-registered" }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentReconcileError);
    const outside = new Reconciler({ planner: new PlannerCache(fed().graph, { ...options, syncNamespace: "default" }), clusters: fed().registry, log: pino({ level: "silent" }), writeRate });
    await expect(outside.reconcile({ ...job, cluster: c1 })).rejects.toBeInstanceOf(PermanentReconcileError);
  });

  test("fed by the member object cache, reconciling every key lists nothing and writes nothing; a deleted object is repaired once the cache has seen it", async () => {
    const cache = new MemberObjectCache({ namespace: SYNC, log: pino({ level: "silent" }) });
    const cached = new Reconciler({ planner: new PlannerCache(fed().graph, options), clusters: fed().registry, log: pino({ level: "silent" }), writeRate, memberObjects: cache });
    const serving = (identity: string) => (cluster: string) => {
      const kubeConfig = fed().registry.kubeConfigOf(clusterName(cluster));
      return kubeConfig !== undefined && cache.objectsOf(cluster, kubeConfig, identity) !== undefined;
    };
    const lists = async (): Promise<number> => (await Promise.all(planes.map((plane) => apiServerRequests(plane, { verb: "LIST", resource: "serviceentries" })))).reduce((a, b) => a + b, 0);
    try {
      expect(writesOf(await reconcileAll(cached))).toEqual([]); // lists while the watches start
      await waitUntil(() => Promise.resolve(names.every(serving(payments))), { what: "the cache to serve every cluster", timeoutMs: 15_000, intervalMs: 50 });
      const before = await lists();
      expect(writesOf(await reconcileAll(cached))).toEqual([]);
      expect(await lists()).toBe(before);

      const [entry] = await serviceEntries(c2, payments);
      await custom(second).deleteNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name: entry?.metadata.name ?? "" });
      const kubeConfig = fed().registry.kubeConfigOf(clusterName(c2));
      if (kubeConfig === undefined) throw new Error(`${c2} has no credentials`);
      await waitUntil(() => Promise.resolve(cache.objectsOf(c2, kubeConfig, payments)?.some((o) => o.kind === "ServiceEntry") === false), { what: "the cache to see the delete", timeoutMs: 15_000, intervalMs: 50 });
      const beforeRepair = await lists();
      expect(writesOf(await reconcileAll(cached))).toEqual([`${c2}/${payments} apply ServiceEntry`]);
      expect(await lists()).toBe(beforeRepair);
      expect((await serviceEntries(c2, payments))[0]?.spec).toEqual(entry?.spec);
    } finally {
      cache.stop();
    }
  });

  test("removing the ServiceDependency prunes payments' objects from the checkout cluster", async () => {
    await home.objects.delete(dependency());
    await waitForGraph(fed(), "the dependency to go", (s) => !s.dependencies.some((d) => d.source.identity === checkout));
    const results = await reconcileAll();
    expect(results.get(`${c2}/${payments}`)?.deleted.map((o) => o.kind).sort()).toEqual(["DestinationRule", "ServiceEntry"]);
    expect(await serviceEntries(c2, payments)).toEqual([]);
    expect(await destinationRules(c2, payments)).toEqual([]);
    expect(fed().logLines.some((line) => line.includes("Deleted ServiceEntry") && line.includes(c2))).toBe(true);
    for (const cluster of [c1, c3]) expect(await serviceEntries(cluster, payments), cluster).toHaveLength(1);
  });
});
