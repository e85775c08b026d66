// The informers of one member cluster, for one set of credentials and one discovery scope. With an
// explicit namespace list, each kind is watched namespace by namespace (nothing outside is ever
// listed); otherwise each kind is watched cluster-wide and filtered by the Namespace informer's view
// of the scope, so a namespace entering or leaving the scope re-derives the cluster. Every informer
// reports changes to one `changed` callback, which only marks the cluster for re-derivation.

import { setMaxListeners } from "node:events";
import type { KubeConfig, KubernetesObject, V1Deployment, V1EndpointSlice, V1Namespace, V1Service } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { isNamespaceInScope, listedNamespaces, namespaceLabelSelector } from "../discovery-scope.js";
import type { DiscoverySpec } from "../discovery-scope.js";
import type { PodController } from "../identity.js";
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
  /** Something in the served caches changed: mark the cluster for re-derivation. */
  readonly changed: () => void;
  /** An informer synced, failed or restarted. */
  readonly healthChanged: () => void;
}

/** The objects a cluster's workloads are derived from, already narrowed to the discovery scope. */
export interface WorkloadSources {
  services: V1Service[];
  endpointSlices: V1EndpointSlice[];
  deployments: V1Deployment[];
  rollouts: PodController[];
}

type Informer = ResilientInformer<KubernetesObject>;

export class ClusterWatches {
  readonly scope: WatchScope;
  private readonly byKind = new Map<WorkloadKind, Informer[]>();
  private readonly namespaces: Informer | undefined;
  private readonly gateway: Informer | undefined;
  private readonly all: Informer[] = [];

  constructor(scope: WatchScope, deps: ClusterWatchesDeps) {
    this.scope = scope;
    const apis = new KindApis(deps.kubeConfig, deps.requestTimeoutMs);
    const listener: InformerListener<KubernetesObject> = { changed: deps.changed, resynced: deps.changed, healthChanged: deps.healthChanged };
    const make = (spec: ReturnType<typeof workloadSpec>): Informer => {
      const informer = new ResilientInformer(spec, { kubeConfig: deps.kubeConfig, timing: deps.timing, log: deps.log, listener });
      this.all.push(informer);
      return informer;
    };
    const listed = listedNamespaces(scope.discovery, scope.syncNamespace);
    for (const kind of WORKLOAD_KINDS.filter((k) => k !== "rollouts" || scope.rollouts)) {
      const specs = listed === undefined ? [workloadSpec(kind, apis)] : listed.map((namespace) => workloadSpec(kind, apis, namespace));
      this.byKind.set(kind, specs.map(make));
    }
    this.namespaces = listed === undefined ? make(namespaceSpec(apis, namespaceLabelSelector(scope.discovery))) : undefined;
    this.gateway = scope.gatewayService === undefined ? undefined : make(gatewayServiceSpec(apis, scope.gatewayService));
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

  sources(): WorkloadSources {
    const scope = this.inScope();
    return {
      services: this.objects("services", scope) as V1Service[],
      endpointSlices: this.objects("endpointslices", scope) as V1EndpointSlice[],
      deployments: this.objects("deployments", scope) as V1Deployment[],
      rollouts: this.objects("rollouts", scope) as PodController[],
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
