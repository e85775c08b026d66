// One attempt at watching a resource: a client-node ListWatch with its own cache. A failed or silent
// watch is never resumed: the informer starts a new generation, which lists afresh, and keeps serving
// the old generation's cache until the new one has synced. A closed generation reports nothing more.
// Cached objects keep no managedFields (a listener reads them from the event, before they go).

import { ADD, DELETE, ERROR, ListWatch, UPDATE } from "@kubernetes/client-node";
import type { KubeConfig, KubernetesListObject, KubernetesObject } from "@kubernetes/client-node";

import { TrackedWatch } from "./tracked-watch.js";

export interface InformerSpec<T extends KubernetesObject> {
  /** What is watched, for logs and conditions: `services (cluster-wide)`, `services in team-a`. */
  readonly what: string;
  /** The watch path, e.g. `/api/v1/namespaces/team-a/services`. */
  readonly path: string;
  /** The list request (with its own deadline) whose items fill the cache. */
  readonly list: () => Promise<KubernetesListObject<T>>;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface GenerationEvents<T extends KubernetesObject> {
  /** The initial list is in the cache. */
  synced(generation: Generation<T>): void;
  /** A watch request was answered or a line arrived. */
  active(generation: Generation<T>): void;
  /** An object was added or updated, or (`deleted`) deleted. */
  changed(generation: Generation<T>, object: T, deleted: boolean): void;
  /** The ListWatch stopped on an error (client-node never restarts it by itself). */
  failed(generation: Generation<T>, err: unknown): void;
}

function dropManagedFields(object: KubernetesObject): void {
  if (object.metadata?.managedFields !== undefined) delete object.metadata.managedFields;
}

export class Generation<T extends KubernetesObject> {
  readonly cache: ListWatch<T>;
  private readonly watch: TrackedWatch;
  private readonly events: GenerationEvents<T>;
  private isClosed = false;
  private isSynced = false;

  constructor(spec: InformerSpec<T>, kubeConfig: KubeConfig, events: GenerationEvents<T>) {
    this.events = events;
    this.watch = new TrackedWatch(kubeConfig, {
      connecting: () => this.connecting(),
      connected: () => this.report(() => events.active(this)),
      received: () => this.report(() => events.active(this)),
    });
    const list = (): Promise<KubernetesListObject<T>> => (this.isClosed ? Promise.reject(new Error("closed")) : spec.list());
    this.cache = new ListWatch<T>(spec.path, this.watch, list, false, spec.labelSelector, spec.fieldSelector);
    // Every object the cache stores passes here (the initial list too). Once the listener has seen it,
    // its managedFields go: nothing reads them from a cache, and they are a large part of each
    // server-side-applied object that every replica holds for the whole fleet.
    const onObject = (deleted: boolean) => (object: T): void => {
      this.report(() => events.changed(this, object, deleted));
      dropManagedFields(object);
    };
    this.cache.on(ADD, onObject(false));
    this.cache.on(UPDATE, onObject(false));
    this.cache.on(DELETE, onObject(true));
    this.cache.on(ERROR, (err: unknown) => this.report(() => events.failed(this, err)));
  }

  get closed(): boolean {
    return this.isClosed;
  }

  start(): void {
    this.cache.start().catch((err: unknown) => this.report(() => this.events.failed(this, err)));
  }

  /** Stops the watch; the cache stays readable. */
  close(): void {
    this.isClosed = true;
    this.watch.close();
    void this.cache.stop();
  }

  private connecting(): void {
    if (!this.isSynced) {
      this.isSynced = true;
      this.report(() => this.events.synced(this));
    }
  }

  private report(event: () => void): void {
    if (!this.isClosed) {
      event();
    }
  }
}
