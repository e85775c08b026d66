// Reads ServiceDependencies and TrafficPolicies from the home cluster for status reporting: uid,
// generation, status, and the object in the graph's own form (parsed at the boundary, as the graph's
// informers do), so the reporter writes a status only to an object that says what was planned.
import type { CustomObjectsApi } from "@kubernetes/client-node";

import { GROUP, RESOURCES, VERSION, parseServiceDependency, parseTrafficPolicy } from "../../crds/index.js";
import { dependencyOf, trafficPolicyOf } from "../../federation/graph/to-model.js";
import type { ObjectRef } from "../../federation/graph/model.js";
import { httpStatusOf } from "../../federation/kube/api-errors.js";
import type { LiveStatus, StatusKind } from "./object-status.js";

export interface LiveObject extends LiveStatus {
  readonly uid: string;
  /** JSON of the object as the graph would hold it; "" when it fails its schema (then the graph does not hold it). */
  readonly model: string;
}

interface RawObject {
  metadata?: { name?: string; namespace?: string; uid?: string; generation?: number };
  status?: Record<string, unknown>;
}

const PAGE_SIZE = 500;

/** `Kind namespace/name`: the key of an object in the reporter's maps. */
export function refKey(kind: string, ref: Pick<ObjectRef, "namespace" | "name">): string {
  return `${kind} ${ref.namespace ?? ""}/${ref.name}`;
}

/** The graph's form of a parsed object, as JSON: equal to JSON.stringify of the snapshot's entry. */
function modelOf(kind: StatusKind, raw: unknown): string {
  if (kind === "ServiceDependency") {
    const parsed = parseServiceDependency(raw);
    return parsed.ok ? JSON.stringify(dependencyOf(parsed.value)) : "";
  }
  const parsed = parseTrafficPolicy(raw);
  return parsed.ok ? JSON.stringify(trafficPolicyOf(parsed.value)) : "";
}

function liveObjectOf(kind: StatusKind, raw: RawObject): LiveObject {
  const { uid = "", generation } = raw.metadata ?? {};
  return { uid, ...(generation === undefined ? {} : { generation }), ...(raw.status === undefined ? {} : { status: raw.status }), model: modelOf(kind, raw) };
}

/** One object, or undefined when it does not exist (deleted meanwhile). */
export async function readObject(api: CustomObjectsApi, kind: StatusKind, ref: ObjectRef): Promise<LiveObject | undefined> {
  try {
    const raw = (await api.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: RESOURCES[kind].plural, namespace: ref.namespace ?? "", name: ref.name })) as RawObject;
    return liveObjectOf(kind, raw);
  } catch (err) {
    if (httpStatusOf(err) === 404) return undefined;
    throw err;
  }
}

/** What a watch of the home cluster holds of a kind (raw objects), without a request. */
export interface WatchedHomeObjects {
  /** Every object of the kind, or undefined while the watch does not serve (then the API server is asked). */
  objects(kind: StatusKind): readonly unknown[] | undefined;
  /** One object; `undefined` when the watch does not hold it or does not serve. */
  object(kind: StatusKind, namespace: string, name: string): unknown;
}

/** The watched objects of the kind, by refKey; undefined while the watch does not serve. */
export function watchedObjects(watched: WatchedHomeObjects, kind: StatusKind): Map<string, LiveObject> | undefined {
  const raws = watched.objects(kind) as readonly RawObject[] | undefined;
  if (raws === undefined) return undefined;
  return new Map(raws.map((raw) => [refKey(kind, { namespace: raw.metadata?.namespace, name: raw.metadata?.name ?? "" }), liveObjectOf(kind, raw)]));
}

/** One watched object as a LiveObject, or undefined when the watch does not hold it. */
export function watchedObject(watched: WatchedHomeObjects, kind: StatusKind, ref: ObjectRef): LiveObject | undefined {
  const raw = watched.object(kind, ref.namespace ?? "", ref.name) as RawObject | undefined;
  return raw === undefined ? undefined : liveObjectOf(kind, raw);
}

/** Every object of the kind in every namespace, by refKey (paged). */
export async function listObjects(api: CustomObjectsApi, kind: StatusKind): Promise<Map<string, LiveObject>> {
  const objects = new Map<string, LiveObject>();
  let next: string | undefined;
  do {
    const page = await listPage(api, kind, next);
    for (const raw of page.items) objects.set(refKey(kind, { namespace: raw.metadata?.namespace, name: raw.metadata?.name ?? "" }), liveObjectOf(kind, raw));
    next = page.next;
  } while (next !== undefined);
  return objects;
}

async function listPage(api: CustomObjectsApi, kind: StatusKind, token: string | undefined): Promise<{ items: RawObject[]; next?: string }> {
  const request = { group: GROUP, version: VERSION, plural: RESOURCES[kind].plural, limit: PAGE_SIZE };
  const page = (await api.listClusterCustomObject(token === undefined ? request : { ...request, _continue: token })) as { items?: RawObject[]; metadata?: { continue?: string } };
  const next = page.metadata?.continue;
  return next === undefined || next === "" ? { items: page.items ?? [] } : { items: page.items ?? [], next };
}
