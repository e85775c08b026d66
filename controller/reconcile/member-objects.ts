// Reads, from one member cluster, the ServiceEntries and DestinationRules in the sync namespace that
// matter for one identity: Meridian's objects labelled with the identity, and any object whose name
// a desired object uses (owned or not, so that a conflict is seen).
import type { CustomObjectsApi } from "@kubernetes/client-node";

import type { GeneratedObject } from "../../crds/istio.js";
import { IDENTITY_LABEL } from "../core/index.js";
import type { LiveObject } from "../core/index.js";
import { ISTIO_GROUP, ISTIO_VERSION, RECONCILED_KINDS, apiStatusOf, pluralOf } from "./istio-kinds.js";

/** A live object as read from the API server (resourceVersion kept for logs and tests). */
export interface MemberObject extends LiveObject {
  readonly metadata: LiveObject["metadata"] & { readonly resourceVersion?: string };
}

interface ObjectList {
  readonly items?: readonly MemberObject[];
}

export async function readMemberObjects(api: CustomObjectsApi, namespace: string, identity: string, desired: readonly GeneratedObject[]): Promise<MemberObject[]> {
  const found = new Map<string, MemberObject>();
  const labelSelector = `${IDENTITY_LABEL}=${identity}`;
  for (const kind of RECONCILED_KINDS) {
    const list = (await api.listNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: pluralOf(kind), labelSelector })) as ObjectList;
    for (const item of list.items ?? []) found.set(`${kind}/${item.metadata.name}`, { ...item, kind });
  }
  for (const object of desired) {
    const key = `${object.kind}/${object.metadata.name}`;
    if (found.has(key)) continue;
    const live = await getOptional(api, namespace, object.kind, object.metadata.name);
    if (live !== undefined) found.set(key, live);
  }
  return [...found.values()];
}

async function getOptional(api: CustomObjectsApi, namespace: string, kind: string, name: string): Promise<MemberObject | undefined> {
  try {
    const object = (await api.getNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: pluralOf(kind), name })) as MemberObject;
    return { ...object, kind };
  } catch (err) {
    if (apiStatusOf(err) === 404) return undefined;
    throw err;
  }
}
