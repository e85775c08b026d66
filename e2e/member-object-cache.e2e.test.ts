// The member object cache against a real API server: it serves an identity's labelled ServiceEntries
// and DestinationRules once both watches have synced, follows creates, changes and deletes, starts
// afresh for rotated credentials, and answers undefined (read from the API server) when it does not
// serve.
import { CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { IDENTITY_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../controller/core/index.js";
import { MemberObjectCache } from "../controller/reconcile/member-object-cache.js";
import type { MemberObject } from "../controller/reconcile/member-objects.js";
import { waitUntil } from "./harness/wait-until.js";
import { firstControlPlane, statusOf } from "./support/clusters.js";
import { suffix } from "./support/federation-runtime.js";
import { ensureNamespace } from "./support/federation-workloads.js";

const plane = firstControlPlane();
const namespace = `moc-${suffix()}`;
const ISTIO = { group: "networking.istio.io", version: "v1", namespace };
const api = plane.kubeConfig.makeApiClient(CustomObjectsApi);
const CLUSTER = "cache-e2e";

const labels = (identity: string): Record<string, string> => ({ [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [IDENTITY_LABEL]: identity });
const serviceEntry = (name: string, objectLabels: Record<string, string>, address = "192.0.2.1"): object => ({
  apiVersion: "networking.istio.io/v1",
  kind: "ServiceEntry",
  metadata: { name, namespace, labels: objectLabels },
  spec: { hosts: [`${name}.global`], location: "MESH_INTERNAL", resolution: "STATIC", ports: [{ number: 80, name: "http", protocol: "HTTP" }], endpoints: [{ address }] },
});
const destinationRule = (name: string, objectLabels: Record<string, string>): object => ({
  apiVersion: "networking.istio.io/v1",
  kind: "DestinationRule",
  metadata: { name, namespace, labels: objectLabels },
  spec: { host: `${name}.global` },
});

async function create(plural: string, body: object): Promise<string> {
  const created = (await api.createNamespacedCustomObject({ ...ISTIO, plural, body })) as MemberObject;
  return created.metadata.resourceVersion ?? "";
}

const summary = (objects: readonly MemberObject[] | undefined): string[] | undefined =>
  objects?.map((o) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion ?? ""}${o.listed === true ? " listed" : ""}`).sort();

async function eventually(what: string, check: () => boolean): Promise<void> {
  await waitUntil(() => Promise.resolve(check()), { what, timeoutMs: 15_000, intervalMs: 50 });
}

describe("the member object cache", () => {
  const cache = new MemberObjectCache({ namespace, log: pino({ level: "silent" }) });

  beforeAll(async () => {
    await ensureNamespace(plane, namespace);
  });

  afterAll(async () => {
    cache.stop();
    await statusOf(plane.core.deleteNamespace({ name: namespace }));
  });

  test("answers undefined until both watches have synced, then serves the identity's labelled objects and follows every change", async () => {
    expect(cache.objectsOf(CLUSTER, plane.kubeConfig, "a")).toBeUndefined();
    await eventually("the cache to serve", () => cache.objectsOf(CLUSTER, plane.kubeConfig, "a") !== undefined);
    expect(cache.objectsOf(CLUSTER, plane.kubeConfig, "a")).toEqual([]);

    const seVersion = await create("serviceentries", serviceEntry("a-se", labels("a")));
    const drVersion = await create("destinationrules", destinationRule("a-dr", labels("a")));
    await create("serviceentries", serviceEntry("b-se", labels("b")));
    // Not labelled with an identity: never an identity's object (a desired name is read fresh instead).
    await create("serviceentries", serviceEntry("plain", {}));
    const expected = [`DestinationRule/a-dr@${drVersion} listed`, `ServiceEntry/a-se@${seVersion} listed`];
    await eventually("a's two objects", () => summary(cache.objectsOf(CLUSTER, plane.kubeConfig, "a"))?.join() === expected.join());
    expect(summary(cache.objectsOf(CLUSTER, plane.kubeConfig, "b"))).toHaveLength(1);

    const changed = (await api.replaceNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name: "b-se", body: { ...serviceEntry("b-se", labels("b"), "192.0.2.2"), metadata: { name: "b-se", namespace, labels: labels("b"), resourceVersion: (cache.objectsOf(CLUSTER, plane.kubeConfig, "b") ?? [])[0]?.metadata.resourceVersion } } })) as MemberObject;
    await eventually("b-se's new version", () => cache.objectsOf(CLUSTER, plane.kubeConfig, "b")?.[0]?.metadata.resourceVersion === changed.metadata.resourceVersion);
    const [watched] = cache.objectsOf(CLUSTER, plane.kubeConfig, "b") ?? [];
    expect((watched?.spec as { endpoints: { address: string }[] }).endpoints).toEqual([{ address: "192.0.2.2" }]);

    await api.deleteNamespacedCustomObject({ ...ISTIO, plural: "destinationrules", name: "a-dr" });
    await eventually("a-dr gone", () => summary(cache.objectsOf(CLUSTER, plane.kubeConfig, "a"))?.join() === `ServiceEntry/a-se@${seVersion} listed`);
    // Relabelled to another identity: it moves with its label.
    const relabelled = (await api.patchNamespacedCustomObject({ ...ISTIO, plural: "serviceentries", name: "a-se", body: [{ op: "replace", path: `/metadata/labels/${IDENTITY_LABEL.replace("/", "~1")}`, value: "b" }] })) as MemberObject;
    await eventually("a-se under b", () => summary(cache.objectsOf(CLUSTER, plane.kubeConfig, "b"))?.some((s) => s.startsWith(`ServiceEntry/a-se@${relabelled.metadata.resourceVersion ?? ""}`)) === true);
    expect(cache.objectsOf(CLUSTER, plane.kubeConfig, "a")).toEqual([]);
  });

  test("rotated credentials start the cluster's watches afresh; a forgotten cluster restarts; a stopped cache never serves", async () => {
    await eventually("the cache to serve", () => cache.objectsOf(CLUSTER, plane.kubeConfig, "b") !== undefined);
    const rotated = new KubeConfig();
    rotated.loadFromString(plane.kubeConfig.exportConfig());
    expect(cache.objectsOf(CLUSTER, rotated, "b")).toBeUndefined();
    await eventually("the rotated credentials' watches", () => cache.objectsOf(CLUSTER, rotated, "b") !== undefined);
    expect(summary(cache.objectsOf(CLUSTER, rotated, "b"))).toHaveLength(2);

    cache.forget(CLUSTER);
    expect(cache.objectsOf(CLUSTER, rotated, "b")).toBeUndefined();
    await eventually("the watches after forget", () => cache.objectsOf(CLUSTER, rotated, "b") !== undefined);

    const stopped = new MemberObjectCache({ namespace, log: pino({ level: "silent" }) });
    stopped.objectsOf(CLUSTER, plane.kubeConfig, "b");
    stopped.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stopped.objectsOf(CLUSTER, plane.kubeConfig, "b")).toBeUndefined();
  });
});
