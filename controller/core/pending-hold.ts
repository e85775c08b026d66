// Never remove a route on partial knowledge: while a registered cluster is pending (not synced since
// the controller started, or its watches failing), what runs there is not known, so the endpoints it
// had and the objects that carry them stay as they are live. The diff of one key then:
// - keeps in each desired ServiceEntry the live endpoints of pending clusters the plan lacks (with
//   the live ports they name, when the plan lacks those),
// - leaves the other live objects of such a host (identity and env labels: its DestinationRule, whose
//   failover may name a pending cluster's region) as they are, and
// - deletes no ServiceEntry that has an endpoint of a pending cluster, nor any other object of the
//   same host.
// Everything else is written as planned. `held` names what was kept back. Pure.
import type { GeneratedObject, ServiceEntry, ServiceEntryEndpoint, ServiceEntryPort } from "../../crds/istio.js";
import { compareStrings } from "./compare.js";
import { diffObjects, isManaged } from "./diff.js";
import type { LiveObject, ObjectDiff, ObjectKey } from "./diff.js";
import { CLUSTER_LABEL } from "./endpoints.js";
import { ENV_LABEL, IDENTITY_LABEL } from "./names.js";

export interface HeldDiff extends ObjectDiff {
  /** Objects kept live (not deleted) or written with pending clusters' endpoints kept, sorted. */
  readonly held: readonly ObjectKey[];
}

interface LiveServiceEntrySpec {
  readonly endpoints?: readonly ServiceEntryEndpoint[];
  readonly ports?: readonly ServiceEntryPort[];
}

const keyOf = (kind: string, name: string): string => `${kind}/${name}`;
const hostOf = (object: LiveObject): string => `${object.metadata.labels?.[IDENTITY_LABEL] ?? ""}\u0000${object.metadata.labels?.[ENV_LABEL] ?? ""}`;

export function diffHoldingPending(desired: readonly GeneratedObject[], live: readonly LiveObject[], pending: ReadonlySet<string>): HeldDiff {
  if (pending.size === 0) return { ...diffObjects(desired, live), held: [] };
  const owned = new Map(live.filter(isManaged).map((object) => [keyOf(object.kind, object.metadata.name), object]));
  const held: ObjectKey[] = [];
  const kept = desired.map((object) => {
    const current = owned.get(keyOf(object.kind, object.metadata.name));
    if (object.kind !== "ServiceEntry" || current === undefined) return object;
    const merged = withPendingEndpoints(object, current, pending);
    if (merged !== object) held.push({ kind: object.kind, name: object.metadata.name });
    return merged;
  });
  const diff = diffObjects(kept, live);
  const heldHosts = new Set([...owned.values()].filter((object) => pendingEndpoints(object, pending).length > 0).map(hostOf));
  const holds = (object: LiveObject): boolean => heldHosts.has(hostOf(object)) && owned.has(keyOf(object.kind, object.metadata.name));
  const apply = diff.apply.filter((object) => {
    const hold = object.kind !== "ServiceEntry" && holds(object);
    if (hold) held.push({ kind: object.kind, name: object.metadata.name });
    return !hold;
  });
  const remove = diff.remove.filter((key) => {
    const object = owned.get(keyOf(key.kind, key.name));
    const hold = object !== undefined && holds(object);
    if (hold) held.push(key);
    return !hold;
  });
  return { ...diff, apply, remove, held: held.sort((a, b) => (keyOf(a.kind, a.name) < keyOf(b.kind, b.name) ? -1 : 1)) };
}

/** The live ServiceEntry's endpoints of pending clusters (none for any other object). */
function pendingEndpoints(object: LiveObject, pending: ReadonlySet<string>): ServiceEntryEndpoint[] {
  if (object.kind !== "ServiceEntry") return [];
  const endpoints = (object.spec as LiveServiceEntrySpec | undefined)?.endpoints ?? [];
  return endpoints.filter((endpoint) => pending.has(endpoint.labels?.[CLUSTER_LABEL] ?? ""));
}

/** `desired` with the live endpoints of pending clusters it has none of (and the ports they name); `desired` itself when none is missing. */
function withPendingEndpoints(desired: ServiceEntry, live: LiveObject, pending: ReadonlySet<string>): ServiceEntry {
  const planned = new Set(desired.spec.endpoints.map((endpoint) => endpoint.labels[CLUSTER_LABEL]));
  const missing = pendingEndpoints(live, pending).filter((endpoint) => !planned.has(endpoint.labels[CLUSTER_LABEL]));
  if (missing.length === 0) return desired;
  const declared = new Set(desired.spec.ports.map((port) => port.name));
  const named = new Set(missing.flatMap((endpoint) => Object.keys(endpoint.ports ?? {})));
  const livePorts = (live.spec as LiveServiceEntrySpec).ports ?? [];
  const ports = [...desired.spec.ports, ...livePorts.filter((port) => named.has(port.name) && !declared.has(port.name))];
  // The planner lists endpoints in the order of their clusters' names: so does the merge (a stable sort).
  const endpoints = [...desired.spec.endpoints, ...missing].sort((a, b) => compareStrings(a.labels[CLUSTER_LABEL] ?? "", b.labels[CLUSTER_LABEL] ?? ""));
  return { ...desired, spec: { ...desired.spec, ports, endpoints } };
}
