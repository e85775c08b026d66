// The workloads of one member cluster, derived again only where its caches changed: the watches
// report each changed object (or that a whole cache was replaced), and the next derive() re-derives
// just the Services it can affect — a Service itself, the Service an EndpointSlice belongs to (before
// and after a relabel), the Services whose selector matches a Deployment's or Rollout's pods (before
// and after), or a whole namespace that entered or left the discovery scope. Every other Service keeps
// its outcome (the same Workload object, so the graph's comparison is a reference check). The result
// always equals deriveWorkloads over the caches as they are (workload-derivation.test.ts checks it).

import type { KubernetesObject, V1EndpointSlice, V1Service } from "@kubernetes/client-node";

import type { ClusterName } from "./graph-model.js";
import { DEFAULT_IDENTITY_OPTIONS, selectorMatches } from "./identity.js";
import type { IdentityOptions, KindedController, PodControllerKind } from "./identity.js";
import { SERVICE_NAME_LABEL } from "./ready-endpoints.js";
import { deriveService, indexSlices, mergeOutcomes } from "./workloads.js";
import type { DerivedWorkloads, ServiceOutcome } from "./workloads.js";

/** What a cluster's watches report: one object of a kind changed (added, updated or deleted), or a whole cache was replaced. */
export type SourceChange =
  | { readonly kind: "Service" | "EndpointSlice" | "Namespace" | PodControllerKind; readonly object: KubernetesObject; readonly deleted: boolean }
  /** All: a cache was replaced (first sync, restart); Gateway: only the cluster's gateway Service changed. */
  | { readonly kind: "All" | "Gateway" };

/** The caches a derivation reads, narrowed to the discovery scope (objects of namespaces out of scope are not there). */
export interface ScopedSources {
  /** Every in-scope namespace that holds a Service. */
  serviceNamespaces(): Iterable<string>;
  services(namespace: string): readonly V1Service[];
  service(namespace: string, name: string): V1Service | undefined;
  endpointSlices(namespace: string): readonly V1EndpointSlice[];
  controllers(namespace: string): readonly KindedController[];
}

type Labels = Readonly<Record<string, string>> | undefined;

export class WorkloadDerivation {
  private readonly cluster: ClusterName;
  private readonly options: IdentityOptions;
  /** `namespace/name` of every Service with an identity → its outcome. */
  private readonly outcomes = new Map<string, ServiceOutcome>();
  /** `namespace/slice` → the Service it belonged to when last seen (a relabelled slice leaves that one). */
  private readonly sliceOwners = new Map<string, string>();
  /** `kind/namespace/name` → its pod template's labels when last seen (the Services they matched). */
  private readonly podLabels = new Map<string, Labels>();
  private all = true;
  private readonly namespaces = new Set<string>();
  private readonly services = new Set<string>();
  /** Per namespace, pod label sets (old and new) whose matching Services must be derived again. */
  private readonly selectorsTouched = new Map<string, Labels[]>();

  constructor(cluster: ClusterName, options: IdentityOptions = DEFAULT_IDENTITY_OPTIONS) {
    this.cluster = cluster;
    this.options = options;
  }

  /** Notes a change; cheap (runs on the watch's event path). */
  mark(change: SourceChange): void {
    if (!("object" in change)) {
      this.all ||= change.kind === "All";
      return;
    }
    const { namespace, name } = keyOf(change.object);
    if (change.kind === "Namespace") {
      this.namespaces.add(name);
    } else if (change.kind === "Service") {
      this.services.add(`${namespace}/${name}`);
    } else if (change.kind === "EndpointSlice") {
      this.sliceChanged(namespace, name, change.deleted ? undefined : serviceOf(change.object));
    } else {
      this.controllerChanged(`${change.kind}/${namespace}/${name}`, namespace, podLabelsOf(change.object), change.deleted);
    }
  }

  /** Re-derives what changed since the last call (everything on the first) and returns the whole cluster. */
  derive(sources: ScopedSources): DerivedWorkloads {
    if (this.all) {
      this.deriveAll(sources);
    } else {
      for (const namespace of this.namespaces) this.deriveNamespace(sources, namespace);
      this.markSelected(sources);
      for (const key of this.services) this.deriveOne(sources, key);
    }
    this.all = false;
    this.namespaces.clear();
    this.services.clear();
    this.selectorsTouched.clear();
    return mergeOutcomes(this.outcomes.values());
  }

  /** `service`: the slice's Service now; undefined when it has none or was deleted. */
  private sliceChanged(namespace: string, name: string, service: string | undefined): void {
    const key = `${namespace}/${name}`;
    const before = this.sliceOwners.get(key);
    if (before !== undefined) this.services.add(`${namespace}/${before}`);
    if (service !== undefined && service !== "") {
      this.services.add(`${namespace}/${service}`);
      this.sliceOwners.set(key, service);
    } else {
      this.sliceOwners.delete(key);
    }
  }

  private controllerChanged(key: string, namespace: string, labels: Labels, deleted: boolean): void {
    const touched = this.selectorsTouched.get(namespace) ?? [];
    touched.push(this.podLabels.get(key), labels);
    this.selectorsTouched.set(namespace, touched);
    if (deleted) this.podLabels.delete(key);
    else this.podLabels.set(key, labels);
  }

  /** The Services whose selector matches pods a changed controller ran before or runs now. */
  private markSelected(sources: ScopedSources): void {
    for (const [namespace, labelSets] of this.selectorsTouched) {
      if (this.namespaces.has(namespace)) continue;
      for (const service of sources.services(namespace)) {
        const selector = service.spec?.selector;
        if (labelSets.some((labels) => selectorMatches(selector, labels))) this.services.add(`${namespace}/${service.metadata?.name ?? ""}`);
      }
    }
  }

  private deriveAll(sources: ScopedSources): void {
    this.outcomes.clear();
    this.sliceOwners.clear();
    this.podLabels.clear();
    for (const namespace of sources.serviceNamespaces()) this.deriveNamespace(sources, namespace);
  }

  /** Every Service of one namespace (none when it is out of scope now). */
  private deriveNamespace(sources: ScopedSources, namespace: string): void {
    const prefix = `${namespace}/`;
    for (const key of [...this.outcomes.keys()]) if (key.startsWith(prefix)) this.outcomes.delete(key);
    const controllers = this.controllersSeen(sources, namespace);
    const slices = indexSlices(sources.endpointSlices(namespace));
    for (const service of sources.services(namespace)) {
      const key = `${namespace}/${service.metadata?.name ?? ""}`;
      this.store(key, deriveService(service, { cluster: this.cluster, controllers, slices: this.slicesSeen(namespace, slices.get(key) ?? []), options: this.options }));
    }
  }

  private deriveOne(sources: ScopedSources, key: string): void {
    const [namespace = "", name = ""] = key.split("/");
    if (this.namespaces.has(namespace)) return;
    const service = sources.service(namespace, name);
    if (service === undefined) {
      this.outcomes.delete(key);
      return;
    }
    const slices = this.slicesSeen(namespace, sources.endpointSlices(namespace).filter((s) => serviceOf(s) === name));
    this.store(key, deriveService(service, { cluster: this.cluster, controllers: this.controllersSeen(sources, namespace), slices, options: this.options }));
  }

  // A Service's outcome depends on the controllers and slices it was derived from: remember their pod
  // labels and owners as read then, so a later relabel also names the Services they used to reach
  // (the watch's event carries only the new object; a cache's first list reports no events at all).
  private controllersSeen(sources: ScopedSources, namespace: string): readonly KindedController[] {
    const controllers = sources.controllers(namespace);
    for (const c of controllers) this.podLabels.set(`${c.kind}/${namespace}/${c.object.metadata?.name ?? ""}`, podLabelsOf(c.object));
    return controllers;
  }

  private slicesSeen(namespace: string, slices: readonly V1EndpointSlice[]): readonly V1EndpointSlice[] {
    for (const slice of slices) {
      const owner = serviceOf(slice);
      if (owner !== undefined && owner !== "") this.sliceOwners.set(`${namespace}/${slice.metadata?.name ?? ""}`, owner);
    }
    return slices;
  }

  private store(key: string, outcome: ServiceOutcome | undefined): void {
    if (outcome === undefined) this.outcomes.delete(key);
    else this.outcomes.set(key, outcome);
  }
}

function keyOf(object: KubernetesObject): { namespace: string; name: string } {
  return { namespace: object.metadata?.namespace ?? "", name: object.metadata?.name ?? "" };
}

function serviceOf(slice: KubernetesObject): string | undefined {
  return slice.metadata?.labels?.[SERVICE_NAME_LABEL];
}

function podLabelsOf(object: KubernetesObject): Labels {
  return (object as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec?.template?.metadata?.labels;
}
