// The home cluster's ServiceDependencies, TrafficPolicies and FailoverDrills (all namespaces), parsed
// at the boundary and fed to the graph. Construction does no I/O; start() lists and watches.

import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { parseFailoverDrill, parseServiceDependency, parseTrafficPolicy } from "../../crds/index.js";
import type { FailoverDrill } from "../../crds/index.js";
import { makeClient } from "../kube/clients.js";
import { FIELD_MANAGER } from "../registration/names.js";
import { customResourceSpec, KindApis } from "../watch/informer-specs.js";
import type { InformerHealth } from "../watch/resilient-informer.js";
import { DEFAULT_WATCH_TIMING } from "../watch/watch-timing.js";
import type { WatchTiming } from "../watch/watch-timing.js";
import { HomeKindWatch, kindBinding } from "./home-kind-watch.js";
import type { KindBinding } from "./home-kind-watch.js";
import type { GraphUpdates } from "./identity-graph.js";
import type { HomeKind } from "./invalid-spec-status.js";
import { activeDrillOf, dependencyOf, trafficPolicyOf } from "./to-model.js";

export interface HomeObjectsOptions {
  /** Credentials for the home cluster. */
  readonly kubeConfig: KubeConfig;
  readonly graph: GraphUpdates;
  readonly log: Logger;
  readonly timing?: WatchTiming;
  /** Deadline of each request (default 20 s). */
  readonly requestTimeoutMs?: number;
  /** Delay that coalesces a burst of events into one pass (default 10 ms). */
  readonly flushDelayMs?: number;
  readonly fieldManager?: string;
  readonly clock?: () => Date;
  /** Told after any FailoverDrill was created, changed or deleted (the drill runner runs then, not a tick later). Only marks work. */
  readonly drillsChanged?: () => void;
}

export function homeBindings(graph: GraphUpdates, drillsChanged: () => void = () => undefined): KindBinding[] {
  return [
    kindBinding("ServiceDependency", parseServiceDependency, (key, value) => graph.setDependency(key, value === undefined ? undefined : dependencyOf(value))),
    kindBinding("TrafficPolicy", parseTrafficPolicy, (key, value) => graph.setPolicy(key, value === undefined ? undefined : trafficPolicyOf(value))),
    kindBinding("FailoverDrill", parseFailoverDrill, (key, value) => {
      graph.setDrill(key, value === undefined ? undefined : activeDrillOf(value));
      drillsChanged();
    }),
  ];
}

export class HomeObjects {
  private readonly watches: HomeKindWatch[];
  private readonly syncWaiters: (() => void)[] = [];

  constructor(options: HomeObjectsOptions) {
    const requestTimeoutMs = options.requestTimeoutMs ?? 20_000;
    const apis = new KindApis(options.kubeConfig, requestTimeoutMs);
    const statusApi = makeClient(options.kubeConfig, CustomObjectsApi, requestTimeoutMs);
    const log = options.log.child({ component: "home-objects" });
    this.watches = homeBindings(options.graph, options.drillsChanged).map(
      (binding) =>
        new HomeKindWatch({
          spec: customResourceSpec(binding.kind, apis),
          binding,
          statusApi,
          kubeConfig: options.kubeConfig,
          timing: options.timing ?? DEFAULT_WATCH_TIMING,
          flushDelayMs: options.flushDelayMs ?? 10,
          fieldManager: options.fieldManager ?? FIELD_MANAGER,
          log,
          now: options.clock ?? (() => new Date()),
          healthChanged: () => this.healthChanged(),
        }),
    );
  }

  /** Lists and watches until `signal` aborts; resolves once every kind is in the graph (or on abort). */
  start(signal: AbortSignal): Promise<void> {
    const synced = new Promise<void>((resolve) => {
      this.syncWaiters.push(resolve);
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
    for (const watch of this.watches) {
      watch.start(signal);
    }
    return synced;
  }

  synced(): boolean {
    return this.watches.every((watch) => watch.synced);
  }

  /** Every object of the kind as its watch holds it (raw, unparsed), or undefined while that watch does not serve. */
  objects(kind: HomeKind): readonly unknown[] | undefined {
    const informer = this.servingInformer(kind);
    return informer === undefined ? undefined : informer.list();
  }

  /** One object as its kind's watch holds it; undefined when absent or while the watch does not serve. */
  object(kind: HomeKind, namespace: string, name: string): unknown {
    return this.servingInformer(kind)?.get(name, namespace);
  }

  private servingInformer(kind: HomeKind): HomeKindWatch["informer"] | undefined {
    const watch = this.watches.find((w) => w.kind === kind);
    return watch === undefined || watch.informer.health().state !== "Synced" ? undefined : watch.informer;
  }

  /**
   * Every FailoverDrill that passes its schema, as the watch holds it now (no request; it may lag
   * a write by milliseconds), or undefined while that watch is not synced and healthy.
   */
  drills(): FailoverDrill[] | undefined {
    const raws = this.objects("FailoverDrill");
    if (raws === undefined) return undefined;
    const drills: FailoverDrill[] = [];
    for (const raw of raws) {
      const parsed = parseFailoverDrill(raw);
      if (parsed.ok) drills.push(parsed.value);
    }
    return drills;
  }

  health(): InformerHealth[] {
    return this.watches.map((watch) => watch.informer.health());
  }

  private healthChanged(): void {
    if (this.synced()) {
      this.syncWaiters.splice(0).forEach((resolve) => resolve());
    }
  }
}
