// Ready endpoints per zone, from the EndpointSlices of one Service. Kubernetes semantics: a nil
// `ready` condition means ready. The same backend can appear in several slices (one per IP family on a
// dual-stack Service; twice while slices are being migrated or mirrored): it counts once, and is ready
// when any copy says so. Two copies are the same backend when they share a targetRef or an address.

import { compareStrings } from "./compare.js";

/** The EndpointSlice fields read here (client-node's V1EndpointSlice fits). */
export interface EndpointSliceLike {
  metadata?: { name?: string; namespace?: string; labels?: Readonly<Record<string, string>> };
  endpoints?: readonly EndpointLike[];
}

export interface EndpointLike {
  addresses: readonly string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  zone?: string;
  deprecatedTopology?: Readonly<Record<string, string>>;
  targetRef?: { kind?: string; namespace?: string; name?: string; uid?: string };
}

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
const ZONE_LABEL = "topology.kubernetes.io/zone";

interface Backend {
  zone: string;
  ready: boolean;
}

export function readyByZone(slices: readonly EndpointSliceLike[]): Record<string, number> {
  const backends = distinctBackends(slices);
  const counts = new Map<string, number>();
  for (const backend of backends) {
    if (backend.ready) {
      counts.set(backend.zone, (counts.get(backend.zone) ?? 0) + 1);
    }
  }
  const zones = [...counts.keys()].sort();
  return Object.fromEntries(zones.map((zone) => [zone, counts.get(zone) ?? 0]));
}

/** Slices are read in name order so that the zone of a duplicated backend is deterministic. */
function distinctBackends(slices: readonly EndpointSliceLike[]): Backend[] {
  const ordered = [...slices].sort((a, b) => compareStrings(a.metadata?.name ?? "", b.metadata?.name ?? ""));
  const byKey = new Map<string, Backend>();
  const backends: Backend[] = [];
  for (const endpoint of ordered.flatMap((slice) => slice.endpoints ?? [])) {
    const keys = backendKeys(endpoint);
    if (keys.length === 0) {
      continue;
    }
    const ready = endpoint.conditions?.ready !== false;
    const known = keys.map((key) => byKey.get(key)).find((b) => b !== undefined);
    const backend = known ?? { zone: zoneOf(endpoint), ready: false };
    backend.ready ||= ready;
    if (known === undefined) {
      backends.push(backend);
    }
    keys.forEach((key) => byKey.set(key, backend));
  }
  return backends;
}

function backendKeys(endpoint: EndpointLike): string[] {
  const keys = endpoint.addresses.filter((a) => a !== "").map((a) => `address:${a}`);
  if (keys.length === 0) {
    return [];
  }
  const ref = endpoint.targetRef;
  if (ref?.uid !== undefined && ref.uid !== "") {
    keys.push(`uid:${ref.uid}`);
  } else if (ref?.name !== undefined && ref.name !== "") {
    keys.push(`ref:${ref.kind ?? ""}/${ref.namespace ?? ""}/${ref.name}`);
  }
  return keys;
}

function zoneOf(endpoint: EndpointLike): string {
  return endpoint.zone ?? endpoint.deprecatedTopology?.[ZONE_LABEL] ?? "";
}
