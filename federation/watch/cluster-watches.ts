// The informers of one member cluster, for one set of credentials and one discovery scope. With an
// explicit namespace list, each kind is watched namespace by namespace (nothing outside is ever
// listed); otherwise each kind is watched cluster-wide and filtered by the Namespace informer's view
// of the scope, so a namespace entering or leaving the scope re-derives that namespace. Every informer
// reports each changed object to one `changed` callback, which only marks what to derive again.

import { setMaxListeners } from "node:events";
import type { KubeConfig, KubernetesObject, V1Deployment, V1EndpointSlice, V1Namespace, V1Service } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { isNamespaceInScope, listedNamespaces, namespaceLabelSelector } from "../discovery-scope.js";
import type { DiscoverySpec } from "../discovery-scope.js";
import type { KindedController, PodController } from "../identity.js";
import type { ScopedSources, SourceChange } from "../workload-derivation.js";
import { gatewayServiceSpec, KindApis, namespaceSpec, WORKLOAD_KINDS, workloadSpec } from "./informer-specs.js";
import type { WorkloadKind } from "./informer-specs.js";
import { ResilientInformer } from "./resilient-informer.js";
import type { InformerHealth, InformerListener } from "./resilient-informer.js";
import type { WatchTiming } from "./watch-timing.js";

export interface WatchScope {
  readonly discovery?: DiscoverySpec;
  readonly gatewayService?: { readonly namespace: string; readonly name: string };
  /** Whether the server serves Argo Rollouts (checked through discovery before the watches start). */
  readonly rollouts: boolean;
  readonly syncNamespace: string;
}

export interface ClusterWatchesDeps {
  readonly kubeConfig: KubeConfig;
  readonly timing: WatchTiming;
  readonly requestTimeoutMs: number;
  readonly log: Logger;
  /** An object in the served caches changed, or a whole cache was replaced: mark it for re-derivation. */
  readonly changed: (change: SourceChange) => void;
  /** An informer synced, failed or restarted. */
  readonly healthChanged: () => void;
}

type Informer = ResilientInformer<KubernetesObject>;

const CHANGE_KINDS = { services: "Service", endpointslices: "EndpointSlice", deployments: "Deployment", rollouts: "Rollout" } as const satisfies Record<WorkloadKind, SourceChange["kind"]>;

export class ClusterWatches {
  readonly scope: WatchScope;
  private readonly byKind = new Map<WorkloadKind, Informer[]>();
  private readonly namespaces: Informer | undefined;
  private readonly gateway: Informer | undefined;
  private readonly all: Informer[] = [];

  constructor(scope: WatchScope, deps: ClusterWatchesDeps) {
    this.scope = scope;
    const apis = new KindApis(deps.kubeConfig, deps.requestTimeoutMs);
    const make = (spec: ReturnType<typeof workloadSpec>, kind: Exclude<SourceChange["kind"], "All">): Informer => {
      const listener: InformerListener<KubernetesObject> = {
        changed: (object, deleted) => deps.changed(kind === "Gateway" ? { kind } : { kind, object, deleted }),
        resynced: () => deps.changed({ kind: "All" }),
        healthChanged: deps.healthChanged,
      };
      const informer = new ResilientInformer(spec, { kubeConfig: deps.kubeConfig, timing: deps.timing, log: deps.log, listener });
      this.all.push(informer);
      return informer;
    };
    const listed = listedNamespaces(scope.discovery, scope.syncNamespace);
    for (const kind of WORKLOAD_KINDS.filter((k) => k !== "rollouts" || scope.rollouts)) {
      const specs = listed === undefined ? [workloadSpec(kind, apis)] : listed.map((namespace) => workloadSpec(kind, apis, namespace));
      this.byKind.set(kind, specs.map((spec) => make(spec, CHANGE_KINDS[kind])));
    }
    this.namespaces = listed === undefined ? make(namespaceSpec(apis, namespaceLabelSelector(scope.discovery)), "Namespace") : undefined;
    this.gateway = scope.gatewayService === undefined ? undefined : make(gatewayServiceSpec(apis, scope.gatewayService), "Gateway");
  }

  start(signal: AbortSignal): void {
    // One listener per informer on the same signal: more than EventTarget's default warning level.
    setMaxListeners(this.all.length + 10, signal);
    for (const informer of this.all) {
      informer.start(signal);
    }
  }

  /** Every informer has synced once (its cache is served, possibly stale while it restarts). */
  synced(): boolean {
    return this.all.every((informer) => informer.health().hasSynced);
  }

  health(): InformerHealth[] {
    return this.all.map((informer) => informer.health());
  }

  /** Informers waiting out a backoff restart now: called when the server answers again. */
  retryNow(): void {
    for (const informer of this.all) {
      informer.retryNow();
    }
  }

  /** How many namespaces are in scope (listed ones, or those the Namespace informer sees in scope). */
  namespaceCount(): number {
    return this.inScope()?.size ?? listedNamespaces(this.scope.discovery, this.scope.syncNamespace)?.length ?? 0;
  }

  /** The caches by namespace (each informer's cache is indexed by namespace), with the scope read once. */
  scopedSources(): ScopedSources {
    const scope = this.inScope();
    const inScope = (namespace: string): boolean => scope === undefined || scope.has(namespace);
    const inNamespace = (kind: WorkloadKind, namespace: string): KubernetesObject[] =>
      inScope(namespace) ? (this.byKind.get(kind) ?? []).flatMap((informer) => informer.list(namespace)) : [];
    return {
      serviceNamespaces: () => new Set(this.objects("services", scope).map((s) => s.metadata?.namespace ?? "")),
      services: (namespace) => inNamespace("services", namespace) as V1Service[],
      service: (namespace, name) => (inScope(namespace) ? firstDefined(this.byKind.get("services") ?? [], (i) => i.get(name, namespace)) : undefined) as V1Service | undefined,
      endpointSlices: (namespace) => inNamespace("endpointslices", namespace) as V1EndpointSlice[],
      controllers: (namespace): KindedController[] => [
        ...inNamespace("deployments", namespace).map((object): KindedController => ({ kind: "Deployment", object: object as V1Deployment })),
        ...inNamespace("rollouts", namespace).map((object): KindedController => ({ kind: "Rollout", object: object as PodController })),
      ],
    };
  }

  gatewayService(): V1Service | undefined {
    return this.gateway?.list()[0] as V1Service | undefined;
  }

  private objects(kind: WorkloadKind, scope: ReadonlySet<string> | undefined): KubernetesObject[] {
    const objects = (this.byKind.get(kind) ?? []).flatMap((informer) => informer.list());
    return scope === undefined ? objects : objects.filter((object) => scope.has(object.metadata?.namespace ?? ""));
  }

  /** The in-scope namespaces when watching cluster-wide; undefined when watching a listed few. */
  private inScope(): Set<string> | undefined {
    if (this.namespaces === undefined) {
      return undefined;
    }
    const names = (this.namespaces.list() as V1Namespace[])
      .map((namespace) => ({ name: namespace.metadata?.name ?? "", labels: namespace.metadata?.labels ?? {} }))
      .filter((namespace) => isNamespaceInScope(this.scope.discovery, namespace, this.scope.syncNamespace))
      .map((namespace) => namespace.name);
    return new Set(names);
  }
}

function firstDefined<T, R>(items: readonly T[], get: (item: T) => R | undefined): R | undefined {
  for (const item of items) {
    const value = get(item);
    if (value !== undefined) return value;
  }
  return undefined;
}
