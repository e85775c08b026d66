// The objects of every identity in each member's sync namespace (ServiceEntries and DestinationRules
// carrying the identity label), kept in memory by a watch per kind, so that a reconcile reads them
// from memory instead of with two list requests per key. A cluster's watches start on its first
// reconcile and stop when it leaves (or its credentials are rotated: the new ones start afresh).
//
// The cache serves only while both watches are synced and healthy; starting, restarting or failing,
// the reconciler lists from the API server as before. Like a list from the API server's watch cache,
// a watched object may lag by milliseconds: writes are conditional on the version read
// (`confirm-write.ts`), so a stale read costs a 409 and a fresh read, never a wrong write.
import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubeConfig, KubernetesListObject } from "@kubernetes/client-node";
import type { Logger } from "pino";

import { makeClient } from "../../federation/registration/clients.js";
import { ResilientInformer } from "../../federation/watch/resilient-informer.js";
import type { InformerListener, InformerSpec } from "../../federation/watch/resilient-informer.js";
import { DEFAULT_WATCH_TIMING } from "../../federation/watch/watch-timing.js";
import type { WatchTiming } from "../../federation/watch/watch-timing.js";
import { IDENTITY_LABEL } from "../core/index.js";
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
}

export interface MemberObjectCacheDeps {
  /** The sync namespace, where Meridian writes in every member. */
  readonly namespace: string;
  readonly log: Logger;
  readonly timing?: WatchTiming;
  readonly requestTimeoutMs?: number;
}

interface KindWatch {
  readonly kind: string;
  readonly informer: ResilientInformer<MemberObject>;
}

interface MemberWatches {
  readonly kubeConfig: KubeConfig;
  readonly lifetime: AbortController;
  readonly kinds: readonly KindWatch[];
}

/** The reconciler reads on demand; nothing needs to hear of each change. */
const QUIET: InformerListener<MemberObject> = { changed: () => undefined, resynced: () => undefined, healthChanged: () => undefined };

export class MemberObjectCache implements MemberObjectSource {
  private readonly deps: MemberObjectCacheDeps;
  private readonly members = new Map<string, MemberWatches>();
  private stopped = false;

  constructor(deps: MemberObjectCacheDeps) {
    this.deps = deps;
  }

  objectsOf(cluster: string, kubeConfig: KubeConfig, identity: string): readonly MemberObject[] | undefined {
    const member = this.watchesOf(cluster, kubeConfig);
    if (member === undefined || !member.kinds.every(({ informer }) => informer.health().state === "Synced")) return undefined;
    const objects: MemberObject[] = [];
    for (const { kind, informer } of member.kinds) {
      for (const object of informer.list()) {
        if (object.metadata.labels?.[IDENTITY_LABEL] === identity) objects.push({ ...object, kind, listed: true });
      }
    }
    return objects;
  }

  /** Stops the cluster's watches (it left); a later reconcile there starts them again. */
  forget(cluster: string): void {
    this.members.get(cluster)?.lifetime.abort();
    this.members.delete(cluster);
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
      const informer = new ResilientInformer<MemberObject>(kindSpec(api, namespace, kind), { kubeConfig, timing: this.deps.timing ?? DEFAULT_WATCH_TIMING, log, listener: QUIET });
      informer.start(lifetime.signal);
      return { kind, informer };
    });
    log.debug({ namespace }, "Watching Meridian's objects in the sync namespace");
    return { kubeConfig, lifetime, kinds };
  }
}

function kindSpec(api: CustomObjectsApi, namespace: string, kind: string): InformerSpec<MemberObject> {
  const plural = pluralOf(kind);
  const list = (): Promise<KubernetesListObject<MemberObject>> =>
    api.listNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural, labelSelector: IDENTITY_LABEL }) as Promise<KubernetesListObject<MemberObject>>;
  return {
    what: `${plural}.${ISTIO_GROUP} labelled ${IDENTITY_LABEL} in namespace ${namespace}`,
    path: `/apis/${ISTIO_GROUP}/${ISTIO_VERSION}/namespaces/${namespace}/${plural}`,
    list,
    labelSelector: IDENTITY_LABEL,
  };
}
