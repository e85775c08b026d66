// Which namespaces of a member cluster Meridian watches, from its MeshCluster's `spec.discovery`.
// - `namespaces`: exactly those namespaces.
// - `namespaceSelector.matchLabels`: the namespaces carrying every one of those labels.
// - neither (or an empty list or an empty selector, which would otherwise mean "nothing" or "all"):
//   every namespace except kube-system, kube-public, kube-node-lease.
// The sync namespace, where Meridian writes its own output, is never discovered: generated objects
// must never become input. Both set (the CRD's CEL rule forbids it): a namespace must satisfy both.

import { SYNC_NAMESPACE } from "../crds/names.js";

export const DEFAULT_SYNC_NAMESPACE = SYNC_NAMESPACE;
export const SYSTEM_NAMESPACES: readonly string[] = Object.freeze(["kube-system", "kube-public", "kube-node-lease"]);

export interface DiscoverySpec {
  namespaces?: readonly string[];
  namespaceSelector?: { matchLabels?: Readonly<Record<string, string>> };
}

export interface NamespaceInfo {
  name: string;
  labels?: Readonly<Record<string, string>>;
}

export function isNamespaceInScope(
  discovery: DiscoverySpec | undefined,
  namespace: NamespaceInfo,
  syncNamespace: string = DEFAULT_SYNC_NAMESPACE,
): boolean {
  if (namespace.name === syncNamespace) {
    return false;
  }
  const { list, matchLabels } = scopeOf(discovery);
  if (list.length === 0 && matchLabels.length === 0) {
    return !SYSTEM_NAMESPACES.includes(namespace.name);
  }
  const listed = list.length === 0 || list.includes(namespace.name);
  return listed && matchLabels.every(([key, value]) => namespace.labels?.[key] === value);
}

function scopeOf(discovery: DiscoverySpec | undefined): { list: readonly string[]; matchLabels: [string, string][] } {
  return {
    list: discovery?.namespaces ?? [],
    matchLabels: Object.entries(discovery?.namespaceSelector?.matchLabels ?? {}),
  };
}

/** The namespaces to watch one by one when the scope is an explicit list (sorted), else undefined. */
export function listedNamespaces(discovery: DiscoverySpec | undefined, syncNamespace: string = DEFAULT_SYNC_NAMESPACE): string[] | undefined {
  const list = discovery?.namespaces ?? [];
  if (list.length === 0) {
    return undefined;
  }
  return [...new Set(list)].filter((name) => name !== syncNamespace).sort();
}

/** The selector's labels as a list/watch `labelSelector` (`a=b,c=d`, sorted), else undefined. */
export function namespaceLabelSelector(discovery: DiscoverySpec | undefined): string | undefined {
  const pairs = Object.entries(discovery?.namespaceSelector?.matchLabels ?? {});
  if (pairs.length === 0) {
    return undefined;
  }
  return pairs
    .map(([key, value]) => `${key}=${value}`)
    .sort()
    .join(",");
}
