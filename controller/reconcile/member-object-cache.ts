// The objects of every identity in each member's sync namespace (ServiceEntries and DestinationRules
// carrying the identity label), kept in memory by a watch per kind, so that a reconcile reads them
// from memory instead of with two list requests per key. A cluster's watches start on its first
// reconcile and stop when it leaves (or its credentials are rotated: the new ones start afresh).
//
// The watches also repair drift at once: an object changed or deleted by someone other than Meridian
// (the newest managedFields entry is not Meridian's field manager, or it is gone) enqueues its key
// (`changedByOthers`), and so does a change to an unowned object whose name a reconcile found taken
// (a conflict: once the user deletes it, Meridian writes its own). Meridian's own writes are newest
// under its field manager and enqueue nothing, so they cannot loop.
//
// The cache serves only while both watches are synced and healthy; starting, restarting or failing,
// the reconciler lists from the API server as before. Like a list from the API server's watch cache,
// a watched object may lag by milliseconds: writes are conditional on the version read
// (`confirm-write.ts`), so a stale read costs a 409 and a fresh read, never a wrong write.
import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubeConfig, KubernetesListObject } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { makeClient } from "../../federation/kube/clients.js";
import { ResilientInformer } from "../../federation/watch/resilient-informer.js";
import type { InformerListener, InformerSpec } from "../../federation/watch/resilient-informer.js";
import { DEFAULT_WATCH_TIMING } from "../../federation/watch/watch-timing.js";
import type { WatchTiming } from "../../federation/watch/watch-timing.js";
import { IDENTITY_LABEL, isManaged } from "../core/index.js";
import type { ObjectKey } from "../core/index.js";
import { FIELD_MANAGER } from "./apply-objects.js";
import { IdentityIndex } from "./identity-index.js";
import { ISTIO_GROUP, ISTIO_VERSION, RECONCILED_KINDS, pluralOf } from "./istio-kinds.js";
import type { MemberObject } from "./member-objects.js";

/** Where the reconciler reads a member's objects of one identity without a request. */
export interface MemberObjectSource {
  /**
   * The identity's objects in the cluster as last watched (each marked `listed`: it may lag), or
   * undefined when they must be read from the API server: the cluster's watches are starting,
   * restarting or failing. Starts the cluster's watches on first use.
   */
  objectsOf(cluster: string, kubeConfig: KubeConfig, identity: string): readonly MemberObject[] | undefined;
  /** The names the identity's last reconcile in the cluster found taken by objects Meridian does not own (replaces the previous ones). */
  noteConflicts?(cluster: string, identity: string, conflicts: readonly ObjectKey[]): void;
}

export interface MemberObjectCacheDeps {
  /** The sync namespace, where Meridian writes in every member. */
  readonly namespace: string;
  readonly log: Logger;
  readonly timing?: WatchTiming;
  readonly requestTimeoutMs?: number;
  /** An object of the identity was changed or deleted by someone else (drift, or a conflict cleared): only enqueue. */
  readonly changedByOthers?: (cluster: string, identity: string) => void;
}

interface KindWatch {
  readonly kind: string;
  readonly informer: ResilientInformer<MemberObject>;
  readonly index: IdentityIndex<MemberObject>;
}

interface MemberWatches {
  readonly kubeConfig: KubeConfig;
  readonly lifetime: AbortController;
  readonly kinds: readonly KindWatch[];
}

interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly time?: string;
}

export class MemberObjectCache implements MemberObjectSource {
  private readonly deps: MemberObjectCacheDeps;
  private readonly members = new Map<string, MemberWatches>();
  /** cluster → `Kind/name` → identity, for names found taken by unowned objects. */
  private readonly conflicts = new Map<string, Map<string, string>>();
  private stopped = false;

  constructor(deps: MemberObjectCacheDeps) {
    this.deps = deps;
  }

  objectsOf(cluster: string, kubeConfig: KubeConfig, identity: string): readonly MemberObject[] | undefined {
    const member = this.watchesOf(cluster, kubeConfig);
    if (member === undefined || !serves(member)) return undefined;
    return member.kinds.flatMap(({ kind, index }) => index.of(identity).map((object): MemberObject => ({ ...object, kind, listed: true })));
  }

  /**
   * The identities Meridian owns objects for in the cluster and the count per kind, from the watches
   * (no request); undefined when they do not serve (not started by a reconcile yet, or not synced).
   */
  ownedIn(cluster: string): { identities: ReadonlySet<string>; countsByKind: Readonly<Record<string, number>> } | undefined {
    const member = this.members.get(cluster);
    if (member === undefined || !serves(member)) return undefined;
    const identities = new Set<string>();
    const countsByKind: Record<string, number> = {};
    for (const { kind, index } of member.kinds) {
      const owned = index.owned();
      countsByKind[kind] = owned.count;
      for (const identity of owned.identities) identities.add(identity);
    }
    return { identities, countsByKind };
  }

  noteConflicts(cluster: string, identity: string, conflicts: readonly ObjectKey[]): void {
    const names = this.conflicts.get(cluster) ?? new Map<string, string>();
    for (const [name, owner] of names) if (owner === identity) names.delete(name);
    for (const conflict of conflicts) names.set(`${conflict.kind}/${conflict.name}`, identity);
    this.conflicts.set(cluster, names);
  }

  /** Stops the cluster's watches (it left); a later reconcile there starts them again. */
  forget(cluster: string): void {
    this.members.get(cluster)?.lifetime.abort();
    this.members.delete(cluster);
    this.conflicts.delete(cluster);
  }

  /** Stops every watch; later reads are answered undefined (read from the API server). */
  stop(): void {
    this.stopped = true;
    for (const cluster of [...this.members.keys()]) this.forget(cluster);
  }

  private watchesOf(cluster: string, kubeConfig: KubeConfig): MemberWatches | undefined {
    if (this.stopped) return undefined;
    const current = this.members.get(cluster);
    if (current?.kubeConfig === kubeConfig) return current;
    if (current !== undefined) this.forget(cluster);
    const started = this.start(cluster, kubeConfig);
    this.members.set(cluster, started);
    return started;
  }

  private start(cluster: string, kubeConfig: KubeConfig): MemberWatches {
    const { namespace } = this.deps;
    const api = makeClient(kubeConfig, CustomObjectsApi, this.deps.requestTimeoutMs);
    const lifetime = new AbortController();
    const log = this.deps.log.child({ cluster });
    const kinds = RECONCILED_KINDS.map((kind) => {
      const index = new IdentityIndex<MemberObject>();
      const listener: InformerListener<MemberObject> = {
        changed: (object) => this.observed(cluster, { kind, informer, index }, object),
        resynced: () => index.rebuild(informer.list()),
        healthChanged: () => undefined,
      };
      const informer: ResilientInformer<MemberObject> = new ResilientInformer<MemberObject>(kindSpec(api, namespace, kind), { kubeConfig, timing: this.deps.timing ?? DEFAULT_WATCH_TIMING, log, listener });
      informer.start(lifetime.signal);
      return { kind, informer, index };
    });
    log.debug({ namespace }, "Watching Meridian's objects in the sync namespace");
    return { kubeConfig, lifetime, kinds };
  }

  /** A watch event: files the object under its identity; enqueues its key when someone other than Meridian changed or deleted it. */
  private observed(cluster: string, { kind, informer, index }: KindWatch, object: MemberObject): void {
    const { name, namespace } = object.metadata as MemberObject["metadata"] & { namespace?: string };
    const current = informer.get(name, namespace);
    index.changed(name, current);
    const managed = isManaged(object);
    const identity = managed ? object.metadata.labels?.[IDENTITY_LABEL] : this.conflicts.get(cluster)?.get(`${kind}/${name}`);
    if (identity === undefined || this.deps.changedByOthers === undefined) return;
    const gone = current === undefined;
    if (gone || !managed || !lastWrittenByMeridian(object)) this.deps.changedByOthers(cluster, identity);
  }
}

/** Both kinds' watches are synced and healthy. */
function serves(member: MemberWatches): boolean {
  return member.kinds.every(({ informer }) => informer.health().state === "Synced");
}

/** The newest managedFields entries (same time) are all Meridian's: the last write was Meridian's own. */
function lastWrittenByMeridian(object: MemberObject): boolean {
  const entries = ((object.metadata as { managedFields?: readonly ManagedFieldsEntry[] }).managedFields ?? []).filter((entry) => entry.time !== undefined);
  const newest = entries.reduce((latest, entry) => ((entry.time ?? "") > latest ? (entry.time ?? "") : latest), "");
  const last = entries.filter((entry) => entry.time === newest);
  return last.length > 0 && last.every((entry) => entry.manager === FIELD_MANAGER);
}

function kindSpec(api: CustomObjectsApi, namespace: string, kind: string): InformerSpec<MemberObject> {
  const plural = pluralOf(kind);
  // Every object of the kind in the sync namespace, labelled or not: an unowned object under a
  // generated name (a conflict) must be seen when it goes.
  const list = (): Promise<KubernetesListObject<MemberObject>> =>
    api.listNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural }) as Promise<KubernetesListObject<MemberObject>>;
  return {
    what: `${plural}.${ISTIO_GROUP} in namespace ${namespace}`,
    path: `/apis/${ISTIO_GROUP}/${ISTIO_VERSION}/namespaces/${namespace}/${plural}`,
    list,
  };
}
