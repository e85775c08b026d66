// What Meridian owns in one member cluster: its labelled ServiceEntries and DestinationRules in the
// sync namespace, counted by kind and grouped by identity (from the identity label). A resync
// enqueues these identities too, so objects of an identity the graph no longer knows are pruned.
import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";

import { makeClient } from "../../federation/kube/clients.js";
import { IDENTITY_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../core/index.js";
import { ISTIO_GROUP, ISTIO_VERSION, RECONCILED_KINDS, pluralOf } from "../reconcile/istio-kinds.js";

export interface OwnedObjects {
  readonly identities: ReadonlySet<string>;
  /** Every reconciled kind, zeros included. */
  readonly countsByKind: Readonly<Record<string, number>>;
}

interface LabelledList {
  readonly items?: readonly { readonly metadata?: { readonly labels?: Readonly<Record<string, string>> } }[];
}

export async function listOwnedObjects(kubeConfig: KubeConfig, namespace: string, timeoutMs: number): Promise<OwnedObjects> {
  const api = makeClient(kubeConfig, CustomObjectsApi, timeoutMs);
  const identities = new Set<string>();
  const countsByKind: Record<string, number> = {};
  for (const kind of RECONCILED_KINDS) {
    const request = { group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: pluralOf(kind), labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}` };
    const list = (await api.listNamespacedCustomObject(request)) as LabelledList;
    const items = list.items ?? [];
    countsByKind[kind] = items.length;
    for (const item of items) {
      const identity = item.metadata?.labels?.[IDENTITY_LABEL];
      if (identity !== undefined && identity !== "") identities.add(identity);
    }
  }
  return { identities, countsByKind };
}
