// The reconciler's writes to a member cluster: server-side apply with Meridian's field manager for
// objects to write, delete for Meridian's objects no longer desired, each write taken from the
// member's token bucket shared by every replica (queue/shared-write-rate.ts), so neither one busy
// cluster nor many replicas can flood a member's API server.
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { CustomObjectsApi } from "@kubernetes/client-node";

import type { GeneratedObject } from "../../crds/istio.js";
import { deepEqual } from "../core/index.js";
import type { ObjectKey } from "../core/index.js";
import { ISTIO_GROUP, ISTIO_VERSION, apiStatusOf, pluralOf } from "./istio-kinds.js";
import type { WriteRate } from "../queue/index.js";
import { FIELD_MANAGER } from "../../crds/names.js";

export { FIELD_MANAGER };

export interface WriteLimitsDeps {
  readonly rate: WriteRate;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Waits for a member's write token. */
export class ClusterWriteLimits {
  constructor(private readonly deps: WriteLimitsDeps) {}

  /** Resolves when `cluster` may make one more write. */
  async acquire(cluster: string): Promise<void> {
    for (let wait = await this.deps.rate.take(cluster); wait > 0; wait = await this.deps.rate.take(cluster)) await this.deps.sleep(wait);
  }
}

/**
 * Server-side applies `object` as Meridian (force: Meridian's fields are Meridian's), only at
 * `resourceVersion` when one is given. Returns "applied",
 * or "replaced" when the result still differed — a field another manager added to the spec survives
 * an apply, so the object is then replaced with exactly the desired one (a PUT at the resourceVersion
 * the apply returned, so a concurrent change makes it fail and retry rather than be overwritten).
 *
 * Field validation is "Ignore": with the default ("Warn") the API server parses every apply body a
 * second time, strictly, only to warn of unknown fields, about 8% of what an apply allocates there
 * (measured with `npm run bench:request-cost`). Nothing is lost: server-side apply itself refuses a
 * field the CRD's schema does not declare ("field not declared in schema", for instance from a
 * member whose Istio CRDs predate a field Meridian writes), and writes nothing.
 */
export async function applyObject(api: CustomObjectsApi, object: GeneratedObject, resourceVersion?: string): Promise<"applied" | "replaced"> {
  const { name, namespace } = object.metadata;
  const target = { group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: pluralOf(object.kind), name };
  const options = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);
  // With a resourceVersion the apply is conditional: 409 Conflict when the object changed since.
  const applied = resourceVersion === undefined ? object : { ...object, metadata: { ...object.metadata, resourceVersion } };
  const result = (await api.patchNamespacedCustomObject({ ...target, body: applied, fieldManager: FIELD_MANAGER, force: true, fieldValidation: "Ignore" }, options)) as AppliedObject;
  if (deepEqual(result.spec, object.spec)) {
    return "applied";
  }
  const body = { ...object, metadata: { ...object.metadata, resourceVersion: result.metadata?.resourceVersion } };
  await api.replaceNamespacedCustomObject({ ...target, body, fieldManager: FIELD_MANAGER });
  return "replaced";
}

interface AppliedObject {
  readonly metadata?: { readonly resourceVersion?: string };
  readonly spec?: unknown;
}

/**
 * Deletes one of Meridian's objects, only if it is still the version that was read (so an object
 * replaced meanwhile — perhaps by someone else's under the same name — is never deleted); false if
 * it was already gone. A changed object is an error: the retry reads it again.
 */
export async function deleteObject(api: CustomObjectsApi, namespace: string, key: ObjectKey & { resourceVersion?: string }): Promise<boolean> {
  const body = key.resourceVersion === undefined ? undefined : { preconditions: { resourceVersion: key.resourceVersion } };
  try {
    await api.deleteNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: pluralOf(key.kind), name: key.name, ...(body === undefined ? {} : { body }) });
    return true;
  } catch (err) {
    if (apiStatusOf(err) === 404) return false;
    if (apiStatusOf(err) === 409) throw new Error(`${key.kind} ${namespace}/${key.name} changed while it was being deleted; reading it again`, { cause: err });
    throw err;
  }
}
