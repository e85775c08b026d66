// Reads, from one member cluster, the ServiceEntries and DestinationRules in the sync namespace that
// matter for one identity: the objects labelled with the identity (from the member object cache when
// it serves, else listed), and any object whose name a desired object uses (owned or not, so that a
// conflict is seen).
import type { CustomObjectsApi } from "@kubernetes/client-node";

import type { GeneratedObject } from "../../crds/istio.js";
import { IDENTITY_LABEL } from "../core/index.js";
import type { LiveObject } from "../core/index.js";
import { ISTIO_GROUP, ISTIO_VERSION, RECONCILED_KINDS, apiStatusOf, pluralOf } from "./istio-kinds.js";

/** A live object as read from the API server (resourceVersion kept for delete preconditions). */
export interface MemberObject extends LiveObject {
  readonly metadata: LiveObject["metadata"] & { readonly resourceVersion?: string };
  /** Read through a list served from the API server's watch cache, or from a watch: may lag by milliseconds. */
  readonly listed?: true;
}

interface ObjectList {
  readonly items?: readonly MemberObject[];
}

/**
 * The identity's objects: `watched` when the member object cache has them (no request), else the
 * kinds' lists; then, read fresh, any missing object whose name a desired object uses.
 */
export interface MemberObjectsQuery {
  readonly namespace: string;
  readonly identity: string;
  readonly desired: readonly GeneratedObject[];
  /** The identity's objects from the member object cache; undefined: list them. */
  readonly watched?: readonly MemberObject[] | undefined;
}

export async function readMemberObjects(api: CustomObjectsApi, query: MemberObjectsQuery): Promise<MemberObject[]> {
  const { namespace, identity, desired, watched } = query;
  const found = new Map<string, MemberObject>();
  for (const object of watched ?? (await listLabelled(api, namespace, identity))) found.set(`${object.kind}/${object.metadata.name}`, object);
  const missing = desired.filter((object) => !found.has(`${object.kind}/${object.metadata.name}`));
  const reads = await Promise.all(missing.map((object) => getOptional(api, namespace, object.kind, object.metadata.name)));
  for (const live of reads) if (live !== undefined) found.set(`${live.kind}/${live.metadata.name}`, live);
  return [...found.values()];
}

/**
 * The kinds' lists, in parallel, served from the API server's watch cache (resourceVersion "0": no
 * etcd read, no wait for the cache to catch up); the reconciler applies a listed object only at the
 * version listed.
 */
async function listLabelled(api: CustomObjectsApi, namespace: string, identity: string): Promise<MemberObject[]> {
  const labelSelector = `${IDENTITY_LABEL}=${identity}`;
  const lists = await Promise.all(
    RECONCILED_KINDS.map(async (kind) => ({
      kind,
      list: (await api.listNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: pluralOf(kind), labelSelector, resourceVersion: "0" })) as ObjectList,
    })),
  );
  return lists.flatMap(({ kind, list }) => (list.items ?? []).map((item): MemberObject => ({ ...item, kind, listed: true })));
}

/** A fresh read of one object; undefined when it does not exist. */
export async function getOptional(api: CustomObjectsApi, namespace: string, kind: string, name: string): Promise<MemberObject | undefined> {
  try {
    const object = (await api.getNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: pluralOf(kind), name })) as MemberObject;
    return { ...object, kind };
  } catch (err) {
    if (apiStatusOf(err) === 404) return undefined;
    throw err;
  }
}
