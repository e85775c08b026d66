// One member cluster for as long as its MeshCluster exists (multicluster-runtime's engaged cluster):
// its credentials, the prober, the serving watch session and a candidate that replaces it once synced
// (new credentials, scope or Rollout support), derivation of its workloads into the graph, and its
// MeshCluster status. Everything runs under one lifetime that ends on disengage (or registry stop).

import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";

import type { MeshCluster, MeshClusterStatus } from "../../crds/index.js";
import type { ClusterName } from "../graph-model.js";
import { sameValue } from "../graph/change-keys.js";
import { memberClusterOf } from "../graph/to-model.js";
import { WorkloadDerivation } from "../workload-derivation.js";
import type { SourceChange } from "../workload-derivation.js";
import { Coalescer } from "../watch/coalescer.js";
import type { WatchScope } from "../watch/cluster-watches.js";
import { clusterAvailability } from "./cluster-availability.js";
import { ClusterProber } from "./cluster-prober.js";
import { clusterStatus, statusTime } from "./cluster-status.js";
import { credentialFingerprint, credentialsFrom, describeSecretRef } from "./member-credentials.js";
import type { Credentials, CredentialSource } from "./member-credentials.js";
import { MemberSession } from "./member-session.js";
import type { ClusterObservations, WatchObservation } from "./observations.js";
import type { ResolvedRegistryOptions } from "./registry-options.js";
import type { StatusSink } from "./status-writer.js";

export interface ClusterInputs {
  /** The parsed MeshCluster (defaults applied). */
  readonly meshCluster: MeshCluster;
  readonly source: CredentialSource;
}

export interface ClusterState {
  readonly name: ClusterName;
  /** The API server answered the last probe and the credentials were accepted. */
  readonly connected: boolean;
  /** The serving watches have synced: the cluster's workloads are in the graph (the last synced ones while it is away). */
  readonly synced: boolean;
  /** Its watches serve now (its MeshCluster's Synced condition is True). */
  readonly syncedNow: boolean;
  /** Not synced since this process started, and it may still sync on its own: readiness waits for it. */
  readonly awaited: boolean;
  /** Why it is not synced now, in a few words; undefined when it is. */
  readonly problem: string | undefined;
}

export class EngagedCluster {
  readonly name: ClusterName;
  /** The MeshCluster's UID: another object under the same name is another engagement. */
  readonly uid: string | undefined;
  private readonly options: ResolvedRegistryOptions;
  private readonly writer: StatusSink;
  private readonly log: Logger;
  private readonly lifetime = new AbortController();
  /** Aborts on disengage (lifetime) or when the registry stops (its signal). */
  private signal: AbortSignal = this.lifetime.signal;
  private readonly prober: ClusterProber;
  private readonly deriver: Coalescer;
  /** The active session's workloads, derived again only where its caches changed. */
  private derivation: WorkloadDerivation;
  private readonly statusUpdater: Coalescer;
  private inputs: ClusterInputs;
  private credentials: Credentials;
  private active: MemberSession | undefined;
  private candidate: MemberSession | undefined;
  private status: MeshClusterStatus | undefined;
  private workloadCount: number | undefined;
  private lastSyncTime: string | undefined;
  private wasSynced = false;
  private pending: boolean | undefined;
  private readonly skipped = new Map<string, string>();

  constructor(name: ClusterName, inputs: ClusterInputs, options: ResolvedRegistryOptions, writer: StatusSink) {
    this.name = name;
    this.uid = inputs.meshCluster.metadata.uid;
    this.options = options;
    this.writer = writer;
    this.log = options.log.child({ cluster: name });
    this.inputs = inputs;
    this.credentials = credentialsFrom(inputs.source, name, options.kubeconfigChecks);
    const { timing } = options;
    const onError = (what: string) => (err: unknown) => this.log.error({ err }, `Failed to ${what}`);
    this.derivation = new WorkloadDerivation(name, options.identity);
    this.deriver = new Coalescer(() => this.derive(), timing.deriveDelayMs, onError("derive workloads"));
    this.statusUpdater = new Coalescer(() => this.updateStatus(), timing.statusDelayMs, onError("compute status"));
    this.prober = new ClusterProber({ timing, log: this.log, reviews: !options.observeOnly, changed: (recovered) => this.probed(recovered) });
  }

  start(parent: AbortSignal): void {
    this.signal = AbortSignal.any([parent, this.lifetime.signal]);
    this.signal.addEventListener("abort", () => this.shutDown(), { once: true });
    this.prober.start(this.signal);
    this.setPending(true);
    this.credentialsChanged();
    this.statusUpdater.schedule();
  }

  /** Called on every reconcile of the registry: level-triggered, cheap when nothing changed. */
  update(inputs: ClusterInputs): void {
    const before = this.inputs;
    this.inputs = inputs;
    if (credentialFingerprint(inputs.source) !== this.credentials.fingerprint) {
      this.credentials = credentialsFrom(inputs.source, this.name, this.options.kubeconfigChecks);
      this.credentialsChanged();
    }
    if (!sameValue(before.meshCluster.spec, inputs.meshCluster.spec)) {
      this.ensureSession();
      this.deriver.schedule();
    }
    this.statusUpdater.schedule();
  }

  /** Disengages: stops every watch and timer and takes the cluster out of the graph. */
  stop(): void {
    this.lifetime.abort();
    this.options.graph.removeCluster(this.name);
  }

  /** The kubeconfig of the current credentials, or undefined while they are invalid. */
  kubeConfig(): KubeConfig | undefined {
    return this.credentials.ok ? this.credentials.kubeConfig : undefined;
  }

  state(): ClusterState {
    const probe = this.prober.probe;
    const connected = probe?.reachable === true && probe.authFailure === undefined;
    const availability = clusterAvailability({
      credentialsUsable: this.credentials.ok,
      probe,
      access: this.prober.access,
      watches: this.watchObservation(),
      syncedSinceStart: this.lastSyncTime !== undefined,
    });
    return { name: this.name, connected, synced: this.active?.synced() === true && this.workloadCount !== undefined, ...availability };
  }

  /** The lifetime ended: on disengage, or when the registry stops (then the graph is left as it is). */
  private shutDown(): void {
    this.deriver.stop();
    this.statusUpdater.stop();
    this.writer.forget(this.name);
  }

  private credentialsChanged(): void {
    const credentials = this.credentials;
    if (credentials.ok) {
      this.log.info({ server: credentials.server }, "Loaded credentials");
      this.prober.setTarget(credentials.fingerprint, credentials.kubeConfig);
    } else {
      this.log.warn({ reason: credentials.reason }, "Rejected credentials");
    }
    this.statusUpdater.schedule();
  }

  private probed(recovered: boolean): void {
    if (recovered) {
      this.active?.watches.retryNow();
      this.candidate?.watches.retryNow();
    }
    this.ensureSession();
    this.statusUpdater.schedule();
  }

  /** Starts a candidate session when the desired credentials, scope or Rollout support differ. */
  private ensureSession(): void {
    const credentials = this.credentials;
    const rollouts = credentials.ok ? this.prober.rolloutsFor(credentials.fingerprint) : undefined;
    if (!credentials.ok || rollouts === undefined || this.signal.aborted) {
      return;
    }
    const scope = watchScope(this.inputs.meshCluster, rollouts, this.options.syncNamespace);
    const key = `${credentials.fingerprint} ${JSON.stringify(scope)}`;
    if ((this.candidate ?? this.active)?.key === key) {
      return;
    }
    this.candidate?.stop();
    const session: MemberSession = new MemberSession(key, credentials.kubeConfig, scope, {
      timing: this.options.timing.watch,
      requestTimeoutMs: this.options.timing.requestTimeoutMs,
      log: this.log,
      changed: (s, change) => this.sessionChanged(s, change),
      healthChanged: (s) => this.sessionHealthChanged(s),
    });
    this.candidate = session;
    this.log.info({ replacing: this.active !== undefined, rollouts }, "Started watches");
    session.start(this.signal);
  }

  private sessionChanged(session: MemberSession, change: SourceChange): void {
    if (session === this.active) {
      this.derivation.mark(change);
      this.deriver.schedule();
    }
  }

  private sessionHealthChanged(session: MemberSession): void {
    if (session === this.candidate && session.synced()) {
      this.promote(session);
    }
    const kinds = new Set(session.failures().map((f) => f.failure.kind));
    if (kinds.has("Forbidden")) {
      this.prober.recheckAccess();
    }
    if (kinds.has("Unreachable") || kinds.has("TLS") || kinds.has("Unauthorized")) {
      this.prober.probeNow();
    }
    this.statusUpdater.schedule();
  }

  private promote(session: MemberSession): void {
    const previous = this.active;
    this.active = session;
    this.candidate = undefined;
    previous?.stop();
    this.log.info({ replaced: previous !== undefined }, previous === undefined ? "Synced cluster" : "Swapped to new watches");
    // New caches (credentials, scope or Rollout support changed): everything is derived from them.
    this.derivation = new WorkloadDerivation(this.name, this.options.identity);
    this.deriver.schedule();
  }

  private derive(): void {
    const session = this.active;
    if (session === undefined || !session.synced() || this.signal.aborted) {
      return;
    }
    const derived = this.derivation.derive(session.watches.scopedSources());
    const member = memberClusterOf(this.inputs.meshCluster, session.watches.gatewayService());
    this.options.graph.setCluster(member, derived.workloads);
    this.workloadCount = derived.workloads.length;
    // Pending ends with the workloads in the graph, not a status update later: a reader of the
    // snapshot (a read-only command, the next reconcile) never sees the cluster synced and pending.
    this.updatePending();
    this.logSkipped(derived.skipped);
    this.statusUpdater.schedule();
  }

  private logSkipped(skipped: readonly { namespace: string; name: string; reason: string }[]): void {
    const current = new Map(skipped.map((s) => [`${s.namespace}/${s.name}`, s.reason]));
    for (const [key, reason] of current) {
      if (this.skipped.get(key) !== reason) {
        const [namespace, service] = key.split("/");
        this.log.warn({ namespace, service, reason }, "Skipped Service");
      }
    }
    this.skipped.clear();
    current.forEach((reason, key) => this.skipped.set(key, reason));
  }

  private updateStatus(): void {
    if (this.signal.aborted) {
      return;
    }
    const watches = this.watchObservation();
    const syncedNow = watches.phase === "Synced";
    if (syncedNow && !this.wasSynced) {
      this.lastSyncTime = statusTime(this.options.clock());
    }
    this.wasSynced = syncedNow;
    this.updatePending();
    const previous = this.status ?? this.inputs.meshCluster.status;
    const next = clusterStatus(this.observations(watches), previous, this.options.clock());
    if (!sameValue(next, previous)) {
      this.status = next;
      this.writer.write(this.name, next, this.inputs.meshCluster.status);
    }
  }

  /**
   * Pending: not synced since engaged, or watches failing. The graph keeps the routes of identities
   * that may run here until it syncs (or its registration is removed); said once per transition.
   */
  private updatePending(): void {
    // Failures of a candidate session (new credentials or scope) do not count: the active one serves.
    this.setPending(this.active === undefined || this.workloadCount === undefined || this.active.failures().length > 0);
  }

  private setPending(pending: boolean): void {
    if (pending === this.pending) return;
    const engaging = this.pending === undefined;
    this.pending = pending;
    this.options.graph.setPending(this.name, pending);
    const message = "Cluster pending: not synced, so the routes of identities that may run there are kept everywhere until it syncs or its registration is removed";
    if (pending) this.log[engaging ? "info" : "warn"](message);
    else this.log.info("Cluster no longer pending: synced; routes held for it are reconciled again");
  }

  private observations(watches: WatchObservation): ClusterObservations {
    const credentials = this.credentials;
    const server = credentials.ok ? credentials.server : undefined;
    return {
      cluster: this.name,
      generation: this.inputs.meshCluster.metadata.generation,
      secret: describeSecretRef(this.inputs.source.ref),
      ...(server === undefined ? {} : { server }),
      credentials: credentials.ok ? { state: "valid" } : { state: "invalid", reason: credentials.reason, message: credentials.message },
      previousCredentialsServing: !credentials.ok && this.active !== undefined,
      ...optional("probe", this.prober.probe),
      ...optional("access", this.prober.access),
      watches,
      ...optional("serverVersion", this.prober.serverVersion),
      ...optional("workloadCount", this.workloadCount),
      ...optional("lastSyncTime", this.lastSyncTime),
      probeIntervalMs: this.options.timing.probeIntervalMs,
    };
  }

  private watchObservation(): WatchObservation {
    const { active, candidate } = this;
    if (active === undefined) {
      const failures = (candidate?.failures() ?? []).map((f) => f.failure.message);
      if (candidate === undefined) {
        return { phase: "NotStarted" };
      }
      return failures.length > 0 ? { phase: "Failing", failures } : { phase: "Syncing", pending: candidate.pending() };
    }
    if (this.workloadCount === undefined) {
      // Synced means the cluster's workloads are in the graph, not only that the watches listed.
      return { phase: "Syncing", pending: active.pending() };
    }
    const newer = (candidate?.failures() ?? []).map((f) => `With the new credentials or scope: ${f.failure.message}`);
    const failures = [...active.failures().map((f) => f.failure.message), ...newer];
    if (failures.length > 0) {
      return { phase: "Failing", failures };
    }
    return { phase: "Synced", watches: active.watches.health().length, namespaces: active.watches.namespaceCount() };
  }
}

/** What a member's watches cover: its discovery scope, its gateway Service, Rollouts when served. */
export function watchScope(meshCluster: MeshCluster, rollouts: boolean, syncNamespace: string): WatchScope {
  const { discovery, gateway } = meshCluster.spec;
  return {
    ...(discovery === undefined ? {} : { discovery }),
    ...(gateway?.serviceRef === undefined ? {} : { gatewayService: gateway.serviceRef }),
    rollouts,
    syncNamespace,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
