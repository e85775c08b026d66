// One kind of the home cluster's custom objects, watched in every namespace: handlers only mark keys
// dirty; a coalesced flush re-reads each dirty key from the cache, parses it at the boundary and
// hands the result to the graph (undefined when deleted or invalid). An invalid object gets an
// InvalidSpec condition in its status, written once per generation and message.

import type { CustomObjectsApi, KubeConfig, KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "pino";

import type { FieldError, ParseResult } from "../../crds/index.js";
import { applyStatus } from "../kube/apply-status.js";
import { Coalescer } from "../watch/coalescer.js";
import { ResilientInformer } from "../watch/resilient-informer.js";
import type { InformerSpec } from "../watch/resilient-informer.js";
import type { WatchTiming } from "../watch/watch-timing.js";
import { invalidSpecMessage, invalidSpecStatus } from "./invalid-spec-status.js";
import type { HomeKind, RawObject } from "./invalid-spec-status.js";

/** Parses an object of the kind and stores the result in the graph (undefined: absent or invalid). */
export interface KindBinding {
  readonly kind: HomeKind;
  /** Returns the parse errors of an invalid object, after removing it from the graph. */
  update(key: string, object: unknown): readonly FieldError[] | undefined;
}

export function kindBinding<T>(kind: HomeKind, parse: (object: unknown) => ParseResult<T>, set: (key: string, value: T | undefined) => void): KindBinding {
  return {
    kind,
    update(key, object) {
      const result = object === undefined ? undefined : parse(object);
      set(key, result?.ok === true ? result.value : undefined);
      return result?.ok === false ? result.errors : undefined;
    },
  };
}

export interface HomeKindWatchDeps {
  readonly spec: InformerSpec<KubernetesObject>;
  readonly binding: KindBinding;
  readonly statusApi: CustomObjectsApi;
  readonly kubeConfig: KubeConfig;
  readonly timing: WatchTiming;
  readonly flushDelayMs: number;
  readonly fieldManager: string;
  readonly log: Logger;
  readonly now: () => Date;
  readonly healthChanged: () => void;
}

export class HomeKindWatch {
  readonly informer: ResilientInformer<KubernetesObject>;
  private readonly deps: HomeKindWatchDeps;
  private readonly flusher: Coalescer;
  private readonly dirty = new Set<string>();
  private readonly known = new Set<string>();
  /** `generation message` last reported per invalid object, so a report is written once. */
  private readonly reported = new Map<string, string>();
  private everything = false;
  private loaded = false;

  constructor(deps: HomeKindWatchDeps) {
    this.deps = deps;
    const log = deps.log.child({ kind: deps.binding.kind });
    this.flusher = new Coalescer(() => this.flush(), deps.flushDelayMs, (err) => log.error({ err }, "Failed to process objects"));
    this.informer = new ResilientInformer(deps.spec, {
      kubeConfig: deps.kubeConfig,
      timing: deps.timing,
      log,
      listener: {
        changed: (object) => this.mark(keyOf(object)),
        resynced: () => this.markAll(),
        healthChanged: deps.healthChanged,
      },
    });
  }

  get kind(): HomeKind {
    return this.deps.binding.kind;
  }

  /** The first synced cache has been processed: the graph holds this kind's objects. */
  get synced(): boolean {
    return this.loaded;
  }

  start(signal: AbortSignal): void {
    signal.addEventListener("abort", () => this.flusher.stop(), { once: true });
    this.informer.start(signal);
  }

  private mark(key: string): void {
    this.dirty.add(key);
    this.flusher.schedule();
  }

  private markAll(): void {
    this.everything = true;
    this.flusher.schedule();
  }

  private flush(): void {
    const keys = this.everything ? new Set([...this.known, ...this.informer.list().map(keyOf)]) : new Set(this.dirty);
    this.everything = false;
    this.dirty.clear();
    for (const key of keys) {
      this.process(key);
    }
    if (!this.loaded && this.informer.health().hasSynced) {
      this.loaded = true;
      this.deps.healthChanged();
    }
  }

  private process(key: string): void {
    const [namespace = "", name = ""] = key.split("/");
    const object = this.informer.get(name, namespace);
    const errors = this.deps.binding.update(key, object);
    if (object === undefined) {
      this.known.delete(key);
      this.reported.delete(key);
      return;
    }
    this.known.add(key);
    if (errors === undefined) {
      this.reported.delete(key);
    } else {
      this.reportInvalid(key, object, errors);
    }
  }

  private reportInvalid(key: string, object: KubernetesObject, errors: readonly FieldError[]): void {
    const { kind } = this.deps.binding;
    const message = invalidSpecMessage(kind, errors);
    const fingerprint = `${object.metadata?.generation ?? ""} ${message}`;
    if (this.reported.get(key) === fingerprint) {
      return;
    }
    this.reported.set(key, fingerprint);
    const [namespace = "", name = ""] = key.split("/");
    this.deps.log.warn({ kind, namespace, name, problem: message }, "Skipped invalid object");
    const status = invalidSpecStatus(kind, object as RawObject, errors, this.deps.now());
    if (status === undefined) {
      return;
    }
    applyStatus(this.deps.statusApi, { kind, namespace, name }, status, this.deps.fieldManager).catch((err: unknown) => {
      this.reported.delete(key);
      this.deps.log.warn({ kind, namespace, name, err }, "Failed to write status");
    });
  }
}

function keyOf(object: KubernetesObject): string {
  return `${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
}
