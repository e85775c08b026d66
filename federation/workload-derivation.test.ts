import type { KubernetesObject, V1Deployment, V1EndpointSlice, V1Service } from "@kubernetes/client-node";
import fc from "fast-check";
import { describe, expect, it, test } from "vitest";

import { clusterName } from "./graph-model.js";
import type { KindedController } from "./identity.js";
import { WorkloadDerivation } from "./workload-derivation.js";
import type { ScopedSources, SourceChange } from "./workload-derivation.js";
import { deriveWorkloads } from "./workloads.js";

const cluster = clusterName("east-1");
const NAMESPACES = ["shop", "pay"] as const;
const APPS = ["a", "b"] as const;
const IDENTITIES = ["cart", "ledger", "", "cart", "ledger", "not valid!"] as const;

type Kind = "Service" | "EndpointSlice" | "Deployment" | "Namespace";

/** Informer caches in memory, narrowed by a namespace scope, as ClusterWatches serves them. */
class Caches {
  readonly objects = new Map<string, { kind: Kind; object: KubernetesObject }>();
  readonly outOfScope = new Set<string>();

  put(kind: Kind, object: KubernetesObject): void {
    this.objects.set(`${kind}/${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`, { kind, object });
  }

  remove(kind: Kind, namespace: string, name: string): KubernetesObject | undefined {
    const key = `${kind}/${namespace}/${name}`;
    const entry = this.objects.get(key);
    this.objects.delete(key);
    return entry?.object;
  }

  all<T>(kind: Kind, namespace?: string): T[] {
    return [...this.objects.values()]
      .filter((e) => e.kind === kind && !this.outOfScope.has(e.object.metadata?.namespace ?? "") && (namespace === undefined || e.object.metadata?.namespace === namespace))
      .map((e) => e.object as T);
  }

  sources(): ScopedSources {
    return {
      serviceNamespaces: () => new Set(this.all<V1Service>("Service").map((s) => s.metadata?.namespace ?? "")),
      services: (namespace) => this.all<V1Service>("Service", namespace),
      service: (namespace, name) => this.all<V1Service>("Service", namespace).find((s) => s.metadata?.name === name),
      endpointSlices: (namespace) => this.all<V1EndpointSlice>("EndpointSlice", namespace),
      controllers: (namespace) => this.all<V1Deployment>("Deployment", namespace).map((object): KindedController => ({ kind: "Deployment", object })),
    };
  }

  full(): ReturnType<typeof deriveWorkloads> {
    return deriveWorkloads({ cluster, services: this.all("Service"), endpointSlices: this.all("EndpointSlice"), deployments: this.all("Deployment"), rollouts: [] });
  }
}

const service = (namespace: string, app: string, identity: string, headless: boolean): V1Service => ({
  metadata: { name: app, namespace, labels: identity === "" ? {} : { identity } },
  spec: { selector: { app }, ports: [{ name: "http", port: 80 }], ...(headless ? { clusterIP: "None" } : {}) },
});
const deployment = (namespace: string, name: string, app: string, identity: string): V1Deployment => ({
  metadata: { name, namespace },
  spec: { selector: { matchLabels: { app } }, template: { metadata: { labels: identity === "" ? { app } : { app, identity } } } },
});
const slice = (namespace: string, name: string, app: string, ready: { count: number; zone: string }): V1EndpointSlice => ({
  metadata: { name, namespace, labels: { "kubernetes.io/service-name": app } },
  addressType: "IPv4",
  endpoints: Array.from({ length: ready.count }, (_, i) => ({ addresses: [`10.0.0.${i + 1}`], zone: ready.zone, conditions: { ready: true } })),
});

// Few names, so steps keep hitting the same objects: relabelled slices, controllers that stop or start
// selecting a Service, Services that win or lose an identity to another.
const namespaceArb = fc.oneof({ arbitrary: fc.constant(NAMESPACES[0]), weight: 4 }, { arbitrary: fc.constant(NAMESPACES[1]), weight: 1 });
const appArb = fc.constantFrom(...APPS);
const step = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("service" as const), namespace: namespaceArb, app: appArb, identity: fc.constantFrom(...IDENTITIES), headless: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("deployment" as const), namespace: namespaceArb, name: fc.constantFrom("d1", "d2"), app: appArb, identity: fc.constantFrom(...IDENTITIES) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("slice" as const), namespace: namespaceArb, name: fc.constantFrom("s1", "s2"), app: appArb, ready: fc.nat(2), zone: fc.constantFrom("z1", "z2") }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("delete" as const), kind: fc.constantFrom<Kind>("Service", "EndpointSlice", "Deployment"), namespace: namespaceArb, name: fc.constantFrom(...APPS, "d1", "d2", "s1", "s2") }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("scope" as const), namespace: namespaceArb }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("resync" as const) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("derive" as const) }), weight: 4 },
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

/** Applies one step to the caches and reports it as cluster-wide watches do (whatever the scope); false for a derive step. */
function apply(caches: Caches, s: Step, report: (change: SourceChange) => void): boolean {
  const put = (kind: Exclude<Kind, "Namespace">, object: KubernetesObject): void => {
    caches.put(kind, object);
    report({ kind, object, deleted: false });
  };
  switch (s.op) {
    case "service":
      put("Service", service(s.namespace, s.app, s.identity, s.headless));
      return true;
    case "deployment":
      put("Deployment", deployment(s.namespace, s.name, s.app, s.identity));
      return true;
    case "slice":
      put("EndpointSlice", slice(s.namespace, s.name, s.app, { count: s.ready, zone: s.zone }));
      return true;
    case "delete": {
      const removed = caches.remove(s.kind, s.namespace, s.name);
      if (removed !== undefined) report({ kind: s.kind as Exclude<Kind, "Namespace">, object: removed, deleted: true });
      return true;
    }
    case "scope":
      if (caches.outOfScope.has(s.namespace)) caches.outOfScope.delete(s.namespace);
      else caches.outOfScope.add(s.namespace);
      report({ kind: "Namespace", object: { metadata: { name: s.namespace } }, deleted: false });
      return true;
    case "resync":
      report({ kind: "All" });
      return true;
    case "derive":
      return false;
  }
}

describe("WorkloadDerivation", () => {
  test("derived incrementally, a cluster's workloads always equal a full derivation of its caches", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const caches = new Caches();
        const derivation = new WorkloadDerivation(cluster);
        for (const s of steps) {
          if (!apply(caches, s, (change) => derivation.mark(change))) expect(derivation.derive(caches.sources())).toEqual(caches.full());
        }
        expect(derivation.derive(caches.sources())).toEqual(caches.full());
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps the Workload objects of Services a change did not touch", () => {
    const caches = new Caches();
    const derivation = new WorkloadDerivation(cluster);
    caches.put("Service", service("shop", "a", "cart", false));
    caches.put("Service", service("shop", "b", "ledger", false));
    const first = derivation.derive(caches.sources());
    const changed = slice("shop", "s1", "b", { count: 2, zone: "z1" });
    caches.put("EndpointSlice", changed);
    derivation.mark({ kind: "EndpointSlice", object: changed, deleted: false });
    const second = derivation.derive(caches.sources());
    expect(second.workloads[0]).toBe(first.workloads[0]);
    expect(second.workloads[1]?.readyByZone).toEqual({ z1: 2 });
  });

  it("a relabelled EndpointSlice leaves the Service it belonged to", () => {
    const caches = new Caches();
    const derivation = new WorkloadDerivation(cluster);
    caches.put("Service", service("shop", "a", "cart", false));
    caches.put("Service", service("shop", "b", "ledger", false));
    caches.put("EndpointSlice", slice("shop", "s1", "a", { count: 2, zone: "z1" }));
    expect(derivation.derive(caches.sources()).workloads.map((w) => w.readyByZone)).toEqual([{ z1: 2 }, {}]);
    const relabelled = slice("shop", "s1", "b", { count: 2, zone: "z1" });
    caches.put("EndpointSlice", relabelled);
    derivation.mark({ kind: "EndpointSlice", object: relabelled, deleted: false });
    expect(derivation.derive(caches.sources())).toEqual(caches.full());
  });

  it("a Deployment that stops selecting a Service gives it back its own identity", () => {
    const caches = new Caches();
    const derivation = new WorkloadDerivation(cluster);
    caches.put("Service", service("shop", "a", "cart", false));
    caches.put("Deployment", deployment("shop", "d1", "a", "ledger"));
    expect(derivation.derive(caches.sources()).workloads.map((w) => w.identity)).toEqual(["ledger"]);
    const moved = deployment("shop", "d1", "b", "ledger");
    caches.put("Deployment", moved);
    derivation.mark({ kind: "Deployment", object: moved, deleted: false });
    expect(derivation.derive(caches.sources()).workloads.map((w) => w.identity)).toEqual(["cart"]);
  });

  it("a Deployment listed before its Service existed is remembered when the Service is derived", () => {
    const caches = new Caches();
    const derivation = new WorkloadDerivation(cluster);
    caches.put("Deployment", deployment("shop", "d2", "a", "ledger"));
    derivation.derive(caches.sources());
    const created = service("shop", "a", "cart", false);
    caches.put("Service", created);
    derivation.mark({ kind: "Service", object: created, deleted: false });
    expect(derivation.derive(caches.sources()).workloads.map((w) => w.identity)).toEqual(["ledger"]);
    const moved = deployment("shop", "d2", "b", "ledger");
    caches.put("Deployment", moved);
    derivation.mark({ kind: "Deployment", object: moved, deleted: false });
    expect(derivation.derive(caches.sources())).toEqual(caches.full());
  });

  it("derives nothing again when nothing was marked", () => {
    const caches = new Caches();
    const derivation = new WorkloadDerivation(cluster);
    caches.put("Service", service("shop", "a", "cart", false));
    const first = derivation.derive(caches.sources());
    let reads = 0;
    const counting: ScopedSources = { ...caches.sources(), services: (ns) => ((reads += 1), caches.sources().services(ns)) };
    expect(derivation.derive(counting).workloads[0]).toBe(first.workloads[0]);
    expect(reads).toBe(0);
  });
});
