// Status of ServiceDependencies and TrafficPolicies against the real control planes: three clusters
// registered with the CLI, the federation running in-process, the Reconciler recording what it wrote
// in the harness Redis, and the StatusReporter writing statuses and Events to the home cluster. The
// tests read the objects and Events back from the API server. Like the federation files with
// MeshClusters, this file owns the home cluster's ServiceDependencies and TrafficPolicies while it
// runs: it deletes those other files left before it starts, since the reporter reports on all of them.
import { CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import type { CoreV1Event, KubernetesObject } from "@kubernetes/client-node";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, test } from "vitest";

import { API_VERSION, GROUP, VERSION } from "../crds/index.js";
import type { ServiceDependencyStatus, TrafficPolicyStatus } from "../crds/index.js";
import { IDENTITY_LABEL } from "../controller/core/index.js";
import { SharedWriteRate, WrittenState, writtenStateKey } from "../controller/queue/index.js";
import { PlannerCache } from "../controller/reconcile/planner-cache.js";
import { Reconciler } from "../controller/reconcile/reconciler.js";
import { StatusReporter } from "../controller/status/index.js";
import { controlPlanes, statusOf, type ConnectedControlPlane } from "./support/clusters.js";
import { apply, deleteHomeObjects, unregisterAll } from "./support/federation-members.js";
import { printFederationLog, startFederation, suffix, waitForGraph, type RunningFederation } from "./support/federation-runtime.js";
import { applyWorkload, deleteWorkloadsIn, ensureNamespace } from "./support/federation-workloads.js";
import { meridian } from "./support/meridian-cli.js";
import "./support/provided-context.js";

const planes = controlPlanes();
const [home, second, third] = planes as [ConnectedControlPlane, ConnectedControlPlane, ConnectedControlPlane];
const HOME = ["--home-kubeconfig", home.info.kubeconfig];
const names = planes.map((plane) => `st-${plane.info.name}`);
const regions = ["us-east", "us-east", "eu-west"];
const gateways = ["192.0.2.21", "192.0.2.22", "192.0.2.23"];
const SYNC = "meridian-sync";
const ISTIO = { group: "networking.istio.io", version: "v1", namespace: SYNC };
const id = suffix();
const [payments, checkout, ghost] = [`payments-${id}`, `checkout-${id}`, `ghost-${id}`];
const ns = { app: `st-${id}`, home: `st-${id}-home` };
const options = { hostSuffix: "global", syncNamespace: SYNC, exportToLimit: 10 };

const custom = home.kubeConfig.makeApiClient(CustomObjectsApi);
const core = home.kubeConfig.makeApiClient(CoreV1Api);
const redis = new Redis(inject("redis").url);

const dependency = (destinations: { identity: string }[]): KubernetesObject =>
  ({ apiVersion: API_VERSION, kind: "ServiceDependency", metadata: { name: "checkout", namespace: ns.home }, spec: { source: { identity: checkout }, destinations } }) as KubernetesObject;
const weightedPolicy = (name: string): KubernetesObject =>
  ({
    apiVersion: API_VERSION,
    kind: "TrafficPolicy",
    metadata: { name, namespace: ns.home },
    spec: { identity: payments, mode: "Weighted", weights: [{ region: "us-east", weight: 60 }, { region: "ap-south", weight: 40 }] },
  }) as KubernetesObject;

interface Stored<S> {
  metadata: { resourceVersion: string; generation: number; uid: string };
  status?: S;
}
const read = <S>(plural: string, name: string): Promise<Stored<S>> => custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns.home, plural, name }) as Promise<Stored<S>>;
const dependencyObject = (): Promise<Stored<ServiceDependencyStatus>> => read("servicedependencies", "checkout");
const policyObject = (name = "payments"): Promise<Stored<TrafficPolicyStatus>> => read("trafficpolicies", name);
const conditions = (status: { conditions?: { type: string; status: string; reason: string }[] } | undefined): Record<string, string> =>
  Object.fromEntries((status?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}`]));

async function eventsOn(name: string): Promise<CoreV1Event[]> {
  const list = await core.listNamespacedEvent({ namespace: ns.home });
  return list.items.filter((e) => e.involvedObject.name === name);
}


/** The workloads and the generated objects of this file's identities in one member. */
async function deleteMemberObjects(plane: ConnectedControlPlane): Promise<void> {
  await deleteWorkloadsIn(plane, ns.app);
  const api = plane.kubeConfig.makeApiClient(CustomObjectsApi);
  for (const plural of ["serviceentries", "destinationrules"]) {
    const list = (await api.listNamespacedCustomObject({ ...ISTIO, plural })) as { items: KubernetesObject[] };
    const ours = list.items.filter((o) => [payments, checkout].includes(o.metadata?.labels?.[IDENTITY_LABEL] ?? ""));
    for (const o of ours) await statusOf(api.deleteNamespacedCustomObject({ ...ISTIO, plural, name: o.metadata?.name ?? "" }));
  }
}

const messageOf = (status: { conditions?: { type: string; message: string }[] } | undefined, type: string): string | undefined => status?.conditions?.find((c) => c.type === type)?.message;

describe("status of ServiceDependencies and TrafficPolicies", () => {
  let federation: RunningFederation | undefined;
  let reconciler: Reconciler;
  let reporter: StatusReporter;
  const fed = (): RunningFederation => federation as RunningFederation;

  async function reconcileAll(): Promise<void> {
    for (const cluster of names) {
      for (const identity of [payments, checkout]) await reconciler.reconcile({ cluster, identity, observedAt: Date.now(), cause: "e2e" });
    }
  }

  beforeAll(async () => {
    await unregisterAll(home);
    await deleteHomeObjects(home);
    await redis.del(...names.map(writtenStateKey));
    for (const [i, plane] of planes.entries()) {
      const run = await meridian("cluster", "register", names[i] ?? "", "--kubeconfig", plane.info.kubeconfig, "--region", regions[i] ?? "", "--gateway-address", gateways[i] ?? "", ...HOME);
      expect(run.stderr).not.toMatch(/^error:/m);
      expect(run.code).toBe(0);
    }
    federation = await startFederation(home.kubeConfig);
    const log = pino({ level: "debug", base: undefined }, { write: (line: string) => void fed().logLines.push(line.trimEnd()) });
    const planner = new PlannerCache(fed().graph, options);
    const written = new WrittenState(redis);
    reconciler = new Reconciler({ planner, clusters: fed().registry, log, written, writeRate: new SharedWriteRate(redis, { perSecond: 20, burst: 40 }) });
    reporter = new StatusReporter({ homeKubeConfig: home.kubeConfig, graph: fed().graph, planner, written, log });
    await ensureNamespace(home, ns.home);
    await applyWorkload(home, { namespace: ns.app, name: "payments", identity: payments, ready: 2 });
    await applyWorkload(third, { namespace: ns.app, name: "payments", identity: payments, ready: 1 });
    await applyWorkload(second, { namespace: ns.app, name: "checkout", identity: checkout, ready: 1 });
    await apply(home.objects, dependency([{ identity: payments }, { identity: ghost }]));
    await apply(home.objects, weightedPolicy("payments"));
    await waitForGraph(
      fed(),
      "three clusters, both identities, the dependency and the policy",
      (s) => s.clusters.length === 3 && s.workloads.filter((w) => w.identity === payments).length === 2 && s.workloads.some((w) => w.identity === checkout) && s.dependencies.some((d) => d.source.identity === checkout) && s.policies.some((p) => p.identity === payments),
      30_000,
    );
  });

  afterAll(async () => {
    federation?.stop();
    await unregisterAll(home);
    await deleteHomeObjects(home);
    for (const event of (await core.listNamespacedEvent({ namespace: ns.home })).items) await statusOf(core.deleteNamespacedEvent({ namespace: ns.home, name: event.metadata?.name ?? "" }));
    for (const plane of planes) await deleteMemberObjects(plane);
    await redis.del(...names.map(writtenStateKey));
    await redis.quit();
  });

  beforeEach(({ onTestFailed }) => onTestFailed(() => printFederationLog(federation)));

  test("before any reconcile: destinations resolved and not, nothing written yet", async () => {
    const result = await reporter.report();
    expect(result).toEqual({ written: 2, unchanged: 0, skipped: 0, events: 2, failed: 0 });
    const dep = await dependencyObject();
    const status = dep.status as ServiceDependencyStatus;
    expect(status.observedGeneration).toBe(dep.metadata.generation);
    expect(status.resolved).toEqual([{ identity: payments, env: "default" }]);
    expect(status.unresolved).toEqual([{ identity: ghost, reason: `identity ${ghost} runs in no registered cluster` }]);
    expect(status.clustersWritten).toBe(0);
    expect(conditions(status)).toEqual({ Resolved: "False UnresolvedDestinations", Synced: "False Pending" });
    expect(messageOf(status, "Synced")).toBe(`Written in 0 of 1 cluster where the source identity ${checkout} runs; waiting for ${names[1]}`);
    const policy = (await policyObject()).status as TrafficPolicyStatus;
    expect([policy.appliedClusters, policy.totalClusters]).toEqual([0, 3]);
    expect(policy.problems?.map((p) => p.code)).toEqual(["WeightedRegionWithoutEndpoints"]);
    expect(conditions(policy)).toEqual({ Applied: "False Pending" });
  });

  test("the planner's problems are Warning Events on the objects they concern", async () => {
    const dep = await dependencyObject();
    const [unknown, ...others] = await eventsOn("checkout");
    expect(others).toEqual([]);
    expect(unknown).toMatchObject({ type: "Warning", reason: "UnknownDestination", count: 1, reportingComponent: "meridian", source: { component: "meridian" } });
    expect(unknown?.involvedObject).toMatchObject({ apiVersion: API_VERSION, kind: "ServiceDependency", namespace: ns.home, name: "checkout", uid: dep.metadata.uid });
    expect(unknown?.message).toContain(`names identity ${ghost}, which runs in no registered cluster`);
    expect((await eventsOn("payments")).map((e) => [e.type, e.reason])).toEqual([["Warning", "WeightedRegionWithoutEndpoints"]]);
  });

  test("after the reconciles: written everywhere; Resolved keeps its transition time", async () => {
    const before = await dependencyObject();
    await reconcileAll();
    const result = await reporter.report();
    expect(result).toEqual({ written: 2, unchanged: 0, skipped: 0, events: 0, failed: 0 });
    const dep = await dependencyObject();
    expect(dep.status?.clustersWritten).toBe(1);
    expect(conditions(dep.status)).toEqual({ Resolved: "False UnresolvedDestinations", Synced: "True Synced" });
    const resolvedTime = (status: ServiceDependencyStatus | undefined): string | undefined => status?.conditions?.find((c) => c.type === "Resolved")?.lastTransitionTime;
    expect(resolvedTime(dep.status)).toBe(resolvedTime(before.status));
    const policy = await policyObject();
    expect([policy.status?.appliedClusters, policy.status?.totalClusters]).toEqual([3, 3]);
    expect(conditions(policy.status)).toEqual({ Applied: "True Applied" });
    expect(messageOf(policy.status, "Applied")).toBe("Applied in 3 of 3 clusters; 1 warning in status.problems");
  });

  test("a report with nothing changed writes nothing", async () => {
    const versions = async (): Promise<string[]> => [(await dependencyObject()).metadata.resourceVersion, (await policyObject()).metadata.resourceVersion];
    const before = await versions();
    const events = (await core.listNamespacedEvent({ namespace: ns.home })).items.map((e) => `${e.metadata?.name} ${e.metadata?.resourceVersion}`);
    expect(await reporter.report()).toEqual({ written: 0, unchanged: 2, skipped: 0, events: 0, failed: 0 });
    expect(await reporter.report({ reread: true })).toEqual({ written: 0, unchanged: 2, skipped: 0, events: 0, failed: 0 });
    const [one, other] = await Promise.all([reporter.report(), reporter.report({ reread: true })]);
    expect(one).toBe(other); // calls made before a report starts share it
    expect(one).toEqual({ written: 0, unchanged: 2, skipped: 0, events: 0, failed: 0 });
    expect(await versions()).toEqual(before);
    expect((await core.listNamespacedEvent({ namespace: ns.home })).items.map((e) => `${e.metadata?.name} ${e.metadata?.resourceVersion}`)).toEqual(events);
  });

  test("fixing the dependency makes it Resolved for the new generation", async () => {
    await apply(home.objects, dependency([{ identity: payments }]));
    await waitForGraph(fed(), "the fixed dependency", (s) => s.dependencies.some((d) => d.source.identity === checkout && d.destinations.length === 1));
    expect(await reporter.report()).toMatchObject({ written: 1, unchanged: 1, failed: 0 });
    const dep = await dependencyObject();
    expect(dep.metadata.generation).toBe(2);
    expect(dep.status?.observedGeneration).toBe(2);
    expect(conditions(dep.status)).toEqual({ Resolved: "True Resolved", Synced: "True Synced" });
    expect(dep.status?.unresolved).toBeUndefined();
    expect(dep.status?.conditions?.every((c) => c.observedGeneration === 2)).toBe(true);
    expect((await reporter.report()).written).toBe(0);
  });

  test("the policy that loses a conflict says so, applied nowhere; both get an Event", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // creationTimestamp has second precision: make the newcomer strictly newer
    await apply(home.objects, weightedPolicy("payments-late"));
    await waitForGraph(fed(), "the second policy", (s) => s.policies.length === 2);
    const result = await reporter.report();
    expect(result).toMatchObject({ written: 2, failed: 0 });
    const late = await policyObject("payments-late");
    expect(conditions(late.status)).toEqual({ Applied: "False PolicyConflict" });
    expect(messageOf(late.status, "Applied")).toContain(`TrafficPolicy ${ns.home}/payments applies because it was created first`);
    expect([late.status?.appliedClusters, late.status?.totalClusters]).toEqual([0, 3]);
    expect(conditions((await policyObject()).status)).toEqual({ Applied: "True Applied" });
    expect((await eventsOn("payments-late")).map((e) => e.reason).sort()).toEqual(["PolicyConflict"]);
    expect((await eventsOn("payments")).map((e) => e.reason).sort()).toEqual(["PolicyConflict", "WeightedRegionWithoutEndpoints"]);
  });

  test("an object the API server does not have, or has with another spec than the graph, is skipped without failing the report", async () => {
    const snapshot = fed().graph.snapshot();
    const real = snapshot.dependencies.find((d) => d.ref.namespace === ns.home && d.ref.name === "checkout");
    if (real === undefined) throw new Error("the dependency is not in the graph");
    const phantom = { ...real, ref: { ...real.ref, name: "phantom" } };
    const behind = { ...real, destinations: [{ identity: ghost }] };
    const graph = { snapshot: () => ({ ...snapshot, dependencies: [phantom, behind], policies: [] }) };
    const lone = new StatusReporter({ homeKubeConfig: home.kubeConfig, graph, planner: new PlannerCache(graph, options), written: new WrittenState(redis), log: pino({ level: "silent" }) });
    const before = (await dependencyObject()).metadata.resourceVersion;
    expect(await lone.report()).toEqual({ written: 0, unchanged: 0, skipped: 2, events: 0, failed: 0 });
    expect((await dependencyObject()).metadata.resourceVersion).toBe(before);
  });

  test("an object deleted and created again with the same spec gets its status back on a re-read", async () => {
    await home.objects.delete(dependency([]));
    await apply(home.objects, dependency([{ identity: payments }]));
    await waitForGraph(fed(), "the dependency back", (s) => s.dependencies.some((d) => d.source.identity === checkout));
    expect((await dependencyObject()).status).toBeUndefined();
    expect(await reporter.report({ reread: true })).toMatchObject({ written: 1, failed: 0 });
    expect(conditions((await dependencyObject()).status)).toEqual({ Resolved: "True Resolved", Synced: "True Synced" });
  });
});
