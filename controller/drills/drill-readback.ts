// Reads back, from one member cluster, the ServiceEntries Meridian wrote there: a fresh list (not
// the reconciler's watch-cache reads), so a drill is verified against what the cluster holds.
import { CustomObjectsApi } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";

import { makeClient } from "../../federation/kube/clients.js";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../core/index.js";
import type { LiveEntry } from "../core/drill-verify.js";
import { ISTIO_GROUP, ISTIO_VERSION, pluralOf } from "../reconcile/istio-kinds.js";

interface EntryList {
  items?: { metadata?: { name?: string }; spec?: { endpoints?: { address?: string; locality?: string }[] } }[];
  metadata?: { continue?: string };
}

const PAGE_SIZE = 500;

/** Meridian's ServiceEntries in `namespace`, by name. */
export async function readServiceEntries(kubeConfig: KubeConfig, namespace: string, requestTimeoutMs = 10_000): Promise<Map<string, LiveEntry>> {
  const api = makeClient(kubeConfig, CustomObjectsApi, requestTimeoutMs);
  const entries = new Map<string, LiveEntry>();
  let next: string | undefined;
  do {
    const request = { group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: pluralOf("ServiceEntry"), labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`, limit: PAGE_SIZE };
    const page = (await api.listNamespacedCustomObject(next === undefined ? request : { ...request, _continue: next })) as EntryList;
    for (const entry of (page.items ?? []).map(liveEntry)) entries.set(entry.name, entry);
    next = page.metadata?.continue || undefined;
  } while (next !== undefined);
  return entries;
}

type Item = NonNullable<EntryList["items"]>[number];

function liveEntry(item: Item): LiveEntry {
  return { name: item.metadata?.name ?? "", endpoints: item.spec?.endpoints ?? [] };
}
