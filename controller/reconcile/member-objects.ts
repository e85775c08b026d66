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
  // The kinds' lists, then the missing names' reads, each set in parallel: three round trips at most.
  const lists = await Promise.all(
    RECONCILED_KINDS.map(async (kind) => ({ kind, list: (await api.listNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: pluralOf(kind), labelSelector })) as ObjectList })),
  );
  for (const { kind, list } of lists) {
    for (const item of list.items ?? []) found.set(`${kind}/${item.metadata.name}`, { ...item, kind });
  }
  const missing = desired.filter((object) => !found.has(`${object.kind}/${object.metadata.name}`));
  const reads = await Promise.all(missing.map((object) => getOptional(api, namespace, object.kind, object.metadata.name)));
  for (const live of reads) if (live !== undefined) found.set(`${live.kind}/${live.metadata.name}`, live);
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
