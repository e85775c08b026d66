// The registry of member clusters: watches MeshClusters and the member Secrets in the home cluster
// and reconciles them, level-triggered: a valid MeshCluster is engaged (credentials, watches, status)
// and updated in place when its spec or Secret changes; one that disappears is disengaged; an invalid
// one gets a status naming the field and is not engaged. Construction does no I/O; start() runs.

import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubeConfig, KubernetesObject, V1Secret } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { parseMeshCluster } from "../../crds/index.js";
import type { FieldError, MeshCluster, MeshClusterStatus } from "../../crds/index.js";
import { clusterName, isClusterName } from "../graph-model.js";
import type { ClusterName } from "../graph-model.js";
import { sameValue } from "../graph/change-keys.js";
import { makeClient } from "../kube/clients.js";
import { Coalescer } from "../watch/coalescer.js";
import { customResourceSpec, KindApis, secretSpec } from "../watch/informer-specs.js";
import { ResilientInformer } from "../watch/resilient-informer.js";
import type { InformerHealth } from "../watch/resilient-informer.js";
import { invalidClusterStatus } from "./cluster-status.js";
import { EngagedCluster } from "./engaged-cluster.js";
import type { ClusterInputs, ClusterState } from "./engaged-cluster.js";
import { resolveRegistryOptions } from "./registry-options.js";
import type { RegistryOptions, ResolvedRegistryOptions } from "./registry-options.js";
import { DISCARDED_STATUSES, StatusWriter } from "./status-writer.js";
import type { StatusSink } from "./status-writer.js";

export class ClusterRegistry {
  private readonly options: ResolvedRegistryOptions;
  private readonly log: Logger;
  private readonly meshClusters: ResilientInformer<KubernetesObject>;
  private readonly secrets: ResilientInformer<KubernetesObject>;
  private readonly writer: StatusSink;
  private readonly reconciler: Coalescer;
  private readonly engaged = new Map<ClusterName, EngagedCluster>();
  private readonly syncWaiters: (() => void)[] = [];
  private signal: AbortSignal | undefined;
  private reconciled = false;

  constructor(options: RegistryOptions) {
    this.options = resolveRegistryOptions(options);
    const { homeKubeConfig, timing } = this.options;
    this.log = this.options.log.child({ component: "registry" });
    const apis = new KindApis(homeKubeConfig, timing.requestTimeoutMs);
    const listener = { changed: () => this.reconciler.schedule(), resynced: () => this.reconciler.schedule(), healthChanged: () => this.reconciler.schedule() };
    const deps = { kubeConfig: homeKubeConfig, timing: timing.watch, log: this.log, listener };
    this.meshClusters = new ResilientInformer(customResourceSpec("MeshCluster", apis), deps);
    this.secrets = new ResilientInformer(secretSpec(apis, this.options.namespace), deps);
    this.writer = this.options.observeOnly ? DISCARDED_STATUSES : statusWriter(this.options, this.log);
    this.reconciler = new Coalescer(() => this.reconcile(), 0, (err) => this.log.error({ err }, "Failed to reconcile MeshClusters"));
  }

  /** This replica may write MeshCluster statuses again (it became the leader): what differs is written now. */
  statusWritesResumed(): void {
    this.writer.resume?.();
  }

  /**
   * Watches the home cluster until `signal` aborts. Resolves once MeshClusters and Secrets have been
   * listed and every cluster engaged (member clusters then sync on their own; see ready()).
   */
  start(signal: AbortSignal): Promise<void> {
    if (this.signal !== undefined) {
      throw new Error("The cluster registry was already started");
    }
    this.signal = signal;
    const started = new Promise<void>((resolve) => {
      this.syncWaiters.push(resolve);
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
    signal.addEventListener("abort", () => this.shutDown(), { once: true });
    this.meshClusters.start(signal);
    this.secrets.start(signal);
    return started;
  }

  /** Every engaged member cluster, sorted by name. */
  clusters(): ClusterState[] {
    return [...this.engaged.values()].map((cluster) => cluster.state()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The current credentials of an engaged member cluster; undefined if not engaged or its credentials are invalid. */
  kubeConfigOf(cluster: ClusterName): KubeConfig | undefined {
    return this.engaged.get(cluster)?.kubeConfig();
  }

  /** The home cluster's caches have synced and so has every engaged member's: fit for /readyz. */
  ready(): boolean {
    return this.reconciled && this.clusters().every((cluster) => cluster.synced);
  }

  /** The home informers' health (MeshClusters, Secrets). */
  health(): InformerHealth[] {
    return [this.meshClusters.health(), this.secrets.health()];
  }

  private reconcile(): void {
    if (this.signal?.aborted !== false || !this.meshClusters.health().hasSynced || !this.secrets.health().hasSynced) {
      return;
    }
    const seen = new Set<ClusterName>();
    for (const object of this.meshClusters.list()) {
      const name = object.metadata?.name ?? "";
      if (isClusterName(name)) {
        seen.add(clusterName(name));
        this.reconcileOne(clusterName(name), object);
      }
    }
    for (const name of [...this.engaged.keys()].filter((n) => !seen.has(n))) {
      this.disengage(name);
    }
    this.reconciled = true;
    this.syncWaiters.splice(0).forEach((resolve) => resolve());
  }

  private reconcileOne(name: ClusterName, object: KubernetesObject): void {
    const parsed = parseMeshCluster(object);
    if (!parsed.ok) {
      this.disengage(name);
      this.reportInvalid(name, object, parsed.errors);
      return;
    }
    const inputs = this.inputsFor(parsed.value);
    const cluster = this.engaged.get(name);
    if (cluster !== undefined && cluster.uid === parsed.value.metadata.uid) {
      cluster.update(inputs);
      return;
    }
    // A MeshCluster deleted and created again under the same name starts afresh.
    this.disengage(name);
    const engaged = new EngagedCluster(name, inputs, this.options, this.writer);
    this.engaged.set(name, engaged);
    this.log.info({ cluster: name, region: parsed.value.spec.region }, "Engaged cluster");
    engaged.start(this.signal ?? AbortSignal.abort());
  }

  private inputsFor(meshCluster: MeshCluster): ClusterInputs {
    const ref = meshCluster.spec.kubeconfigSecretRef;
    const watched = ref.namespace === this.options.namespace;
    const secret = watched ? (this.secrets.get(ref.name, ref.namespace) as V1Secret | undefined) : undefined;
    return { meshCluster, source: { ref, secret, watchedNamespace: this.options.namespace } };
  }

  private disengage(name: ClusterName): void {
    const cluster = this.engaged.get(name);
    if (cluster !== undefined) {
      this.engaged.delete(name);
      cluster.stop();
      this.log.info({ cluster: name }, "Disengaged cluster");
    }
  }

  private reportInvalid(name: ClusterName, object: KubernetesObject, errors: readonly FieldError[]): void {
    const current = (object as { status?: MeshClusterStatus }).status;
    const status = invalidClusterStatus(errors, object.metadata?.generation, current, this.options.clock());
    if (!sameValue(status, current)) {
      this.log.warn({ cluster: name, problem: status.conditions?.[0]?.message }, "Skipped invalid MeshCluster");
      this.writer.write(name, status, current);
    }
  }

  private shutDown(): void {
    this.reconciler.stop();
    this.writer.stop();
    this.engaged.clear();
  }
}

function statusWriter(options: ResolvedRegistryOptions, log: Logger): StatusWriter {
  const { homeKubeConfig, timing } = options;
  return new StatusWriter({
    api: makeClient(homeKubeConfig, CustomObjectsApi, timing.requestTimeoutMs),
    fieldManager: options.fieldManager,
    backoff: timing.watch.backoff,
    random: timing.watch.random,
    log,
    server: homeKubeConfig.getCurrentCluster()?.server ?? "the home cluster",
    writes: options.writesStatus,
  });
}
