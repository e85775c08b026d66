// Writes: server-side apply with field manager `meridian` (force: Meridian owns these fields), and
// create-if-missing for namespaces Meridian needs but does not own. Each write reports whether it
// created, changed or left the object alone; with dryRun the API server decides without persisting.

import { PatchStrategy } from "@kubernetes/client-node";
import type { KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import { isDeepStrictEqual } from "node:util";

import { httpStatusOf } from "./errors.js";
import type { Manifest } from "./member-rbac.js";
import { FIELD_MANAGER } from "./names.js";

export type ApplyAction = "created" | "updated" | "unchanged" | "deleted" | "absent" | "kept";

export interface ObjectChange {
  kind: string;
  name: string;
  namespace?: string;
  action: ApplyAction;
}

export function changeOf(manifest: { kind?: string; metadata?: { name?: string; namespace?: string } }, action: ApplyAction): ObjectChange {
  const namespace = manifest.metadata?.namespace;
  const base = { kind: manifest.kind ?? "", name: manifest.metadata?.name ?? "", action };
  return namespace === undefined ? base : { ...base, namespace };
}

/** The object, or undefined when the API server says 404. */
export async function readOptional<T extends KubernetesObject>(objects: KubernetesObjectApi, manifest: Manifest): Promise<T | undefined> {
  const { name, namespace } = manifest.metadata;
  const header = { apiVersion: manifest.apiVersion, kind: manifest.kind, metadata: namespace === undefined ? { name } : { name, namespace } };
  try {
    return await objects.read<T>(header);
  } catch (err) {
    if (httpStatusOf(err) === 404 && !isDiscoveryFailure(err)) {
      return undefined;
    }
    throw err;
  }
}

/** client-node's read of a kind the server does not serve fails in discovery: that 404 is not "absent". */
function isDiscoveryFailure(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith("Failed to fetch resource metadata");
}

export async function applyObject(objects: KubernetesObjectApi, manifest: Manifest, dryRun: boolean): Promise<ObjectChange> {
  const before = await readOptional(objects, manifest);
  const after = await objects.patch<KubernetesObject>(manifest, undefined, dryRun ? "All" : undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  if (before === undefined) {
    return changeOf(manifest, "created");
  }
  const same = dryRun ? isDeepStrictEqual(comparable(before), comparable(after)) : before.metadata?.resourceVersion === after.metadata?.resourceVersion;
  return changeOf(manifest, same ? "unchanged" : "updated");
}

export async function createIfMissing(objects: KubernetesObjectApi, manifest: Manifest, dryRun: boolean): Promise<ObjectChange> {
  if ((await readOptional(objects, manifest)) !== undefined) {
    return changeOf(manifest, "unchanged");
  }
  try {
    await objects.create(manifest, undefined, dryRun ? "All" : undefined, FIELD_MANAGER);
  } catch (err) {
    // Created meanwhile by someone else: that is what we wanted.
    if (httpStatusOf(err) !== 409) throw err;
    return changeOf(manifest, "unchanged");
  }
  return changeOf(manifest, "created");
}

/** Deletes the object when it exists; `absent` when it did not. */
export async function deleteIfPresent(objects: KubernetesObjectApi, object: Manifest): Promise<ObjectChange> {
  try {
    await objects.delete(object);
  } catch (err) {
    if (httpStatusOf(err) === 404) return changeOf(object, "absent");
    throw err;
  }
  return changeOf(object, "deleted");
}

function comparable(object: KubernetesObject): unknown {
  const { managedFields: _managed, resourceVersion: _rv, generation: _generation, ...metadata } = object.metadata ?? {};
  return { ...object, metadata };
}
