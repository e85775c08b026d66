// Reads, from one member cluster, the ServiceEntries and DestinationRules in the sync namespace that
// matter for one identity: Meridian's objects labelled with the identity, and any object whose name
// a desired object uses (owned or not, so that a conflict is seen).
import type { CustomObjectsApi } from "@kubernetes/client-node";

import type { GeneratedObject } from "../../crds/istio.js";
import { IDENTITY_LABEL } from "../core/index.js";
import type { LiveObject } from "../core/index.js";
import { ISTIO_GROUP, ISTIO_VERSION, RECONCILED_KINDS, apiStatusOf, pluralOf } from "./istio-kinds.js";

/** A live object as read from the API server (resourceVersion kept for delete preconditions). */
export interface MemberObject extends LiveObject {
  readonly metadata: LiveObject["metadata"] & { readonly resourceVersion?: string };
  /** Read through a list served from the API server's watch cache: may lag by milliseconds. */
  readonly listed?: true;
}

interface ObjectList {
  readonly items?: readonly MemberObject[];
}

export async function readMemberObjects(api: CustomObjectsApi, namespace: string, identity: string, desired: readonly GeneratedObject[]): Promise<MemberObject[]> {
  const found = new Map<string, MemberObject>();
  const labelSelector = `${IDENTITY_LABEL}=${identity}`;
  // The kinds' lists, then the missing names' reads, each set in parallel. The lists are served from
  // the API server's watch cache (resourceVersion "0": no etcd read, no wait for the cache to catch
  // up); the reconciler confirms a listed object with a fresh read before writing it.
  const lists = await Promise.all(
    RECONCILED_KINDS.map(async (kind) => ({
      kind,
      list: (await api.listNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: pluralOf(kind), labelSelector, resourceVersion: "0" })) as ObjectList,
    })),
  );
  for (const { kind, list } of lists) {
    for (const item of list.items ?? []) found.set(`${kind}/${item.metadata.name}`, { ...item, kind, listed: true });
  }
  const missing = desired.filter((object) => !found.has(`${object.kind}/${object.metadata.name}`));
  const reads = await Promise.all(missing.map((object) => getOptional(api, namespace, object.kind, object.metadata.name)));
  for (const live of reads) if (live !== undefined) found.set(`${live.kind}/${live.metadata.name}`, live);
  return [...found.values()];
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
