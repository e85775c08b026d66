// An informer that keeps itself alive: client-node's ListWatch stops on any error but 410, so every
// failure starts a new generation after a capped, jittered backoff; a watchdog restarts a watch that
// has been silent (no event, no successful reconnect) for too long. The cache served is always the
// last one that synced, so readers never see a half-listed cache. Construction does no I/O.

import type { KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { nextDelay } from "../backoff.js";
import { apiFailure, SilentWatchError } from "./api-failure.js";
import type { ApiFailure } from "./api-failure.js";
import { Generation } from "./watch-generation.js";
import type { GenerationEvents, InformerSpec } from "./watch-generation.js";
import type { WatchTiming } from "./watch-timing.js";

export type { InformerSpec } from "./watch-generation.js";

export type InformerState = "Pending" | "Synced" | "Failing" | "Stopped";

export interface InformerHealth {
  readonly what: string;
  readonly state: InformerState;
  /** A cache has been synced and is being served (possibly stale while Failing). */
  readonly hasSynced: boolean;
  readonly failure?: ApiFailure;
  readonly restarts: number;
}

/** What the informer tells its owner. Implementations only mark work and return. */
export interface InformerListener<T> {
  /** An object in the served cache was added, changed or (`deleted`) deleted. Its managedFields are dropped after this returns. */
  changed(object: T, deleted: boolean): void;
  /** A new cache replaced the served one (first sync or a restart): everything may have changed. */
  resynced(): void;
  /** The health changed: synced, failed, restarted. */
  healthChanged(): void;
}

export interface InformerDeps<T> {
  readonly kubeConfig: KubeConfig;
  readonly timing: WatchTiming;
  readonly log: Logger;
  readonly listener: InformerListener<T>;
}

export class ResilientInformer<T extends KubernetesObject> {
  private readonly spec: InformerSpec<T>;
  private readonly deps: InformerDeps<T>;
  private readonly events: GenerationEvents<T>;
  private serving: Generation<T> | undefined;
  private current: Generation<T> | undefined;
  private state: InformerState = "Pending";
  private failure: ApiFailure | undefined;
  private attempt = 0;
  private restarts = 0;
  private lastActivity = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private signal: AbortSignal | undefined;

  constructor(spec: InformerSpec<T>, deps: InformerDeps<T>) {
    this.spec = spec;
    this.deps = deps;
    this.events = {
      synced: (generation) => this.onSynced(generation),
      active: (generation) => this.onActive(generation),
      changed: (generation, object, deleted) => this.onChanged(generation, object, deleted),
      failed: (generation, err) => this.onFailed(generation, err),
    };
  }

  get what(): string {
    return this.spec.what;
  }

  /** Lists and watches until `signal` aborts. */
  start(signal: AbortSignal): void {
    if (this.signal !== undefined) {
      throw new Error(`Informer for ${this.spec.what} was already started`);
    }
    this.signal = signal;
    if (signal.aborted) {
      this.state = "Stopped";
      return;
    }
    signal.addEventListener("abort", () => this.stop(), { once: true });
    const interval = Math.max(1_000, Math.floor(this.deps.timing.silentMs / 4));
    this.watchdog = setInterval(() => this.checkSilence(), interval);
    this.watchdog.unref();
    this.begin();
  }

  /** The served cache (one namespace's objects, given one): empty until the first sync. */
  list(namespace?: string): readonly T[] {
    return this.serving?.cache.list(namespace) ?? [];
  }

  /** One object of the served cache; `namespace` undefined for cluster-scoped objects. */
  get(name: string, namespace?: string): T | undefined {
    return this.serving?.cache.get(name, namespace);
  }

  health(): InformerHealth {
    const base = { what: this.spec.what, state: this.state, hasSynced: this.serving !== undefined, restarts: this.restarts };
    return this.failure === undefined ? base : { ...base, failure: this.failure };
  }

  /** A failing informer waiting out its backoff restarts now (e.g. the server answers again). */
  retryNow(): void {
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.begin();
    }
  }

  private begin(): void {
    this.retryTimer = undefined;
    if (this.signal?.aborted !== false) {
      return;
    }
    this.lastActivity = this.deps.timing.now();
    this.current = new Generation(this.spec, this.deps.kubeConfig, this.events);
    this.current.start();
  }

  private onSynced(generation: Generation<T>): void {
    if (generation !== this.current) {
      return;
    }
    const previous = this.serving;
    this.serving = generation;
    if (previous !== undefined && previous !== generation) {
      previous.close();
    }
    this.attempt = 0;
    this.lastActivity = this.deps.timing.now();
    const recovered = this.state === "Failing";
    this.state = "Synced";
    this.failure = undefined;
    if (recovered) {
      this.deps.log.info({ what: this.spec.what, restarts: this.restarts }, "Resynced watch");
    }
    this.deps.listener.resynced();
    this.deps.listener.healthChanged();
  }

  private onActive(generation: Generation<T>): void {
    if (generation === this.current) {
      this.lastActivity = this.deps.timing.now();
    }
  }

  private onChanged(generation: Generation<T>, object: T, deleted: boolean): void {
    if (generation === this.serving && generation === this.current) {
      this.deps.listener.changed(object, deleted);
    }
  }

  private onFailed(generation: Generation<T>, err: unknown): void {
    if (generation !== this.current || this.signal?.aborted !== false) {
      return;
    }
    // The failed generation's cache keeps being served until a new one syncs.
    generation.close();
    this.current = undefined;
    const server = this.deps.kubeConfig.getCurrentCluster()?.server ?? "the API server";
    this.failure = apiFailure(err, { server, action: `list and watch ${this.spec.what}` });
    this.state = "Failing";
    this.restarts += 1;
    const delayMs = nextDelay(this.attempt, this.deps.timing.backoff, this.deps.timing.random);
    this.attempt += 1;
    this.deps.log.warn({ what: this.spec.what, failure: this.failure.kind, err: this.failure.message, retryInMs: delayMs }, "Watch failed");
    this.retryTimer = setTimeout(() => this.begin(), delayMs);
    this.deps.listener.healthChanged();
  }

  private checkSilence(): void {
    const generation = this.current;
    const silentFor = this.deps.timing.now() - this.lastActivity;
    if (generation !== undefined && silentFor > this.deps.timing.silentMs) {
      this.onFailed(generation, new SilentWatchError(`no event and no successful reconnect for ${Math.round(silentFor / 1000)} s`));
    }
  }

  private stop(): void {
    clearInterval(this.watchdog);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.current?.close();
    this.serving?.close();
    this.current = undefined;
    this.state = "Stopped";
  }
}
