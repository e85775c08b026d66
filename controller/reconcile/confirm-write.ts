// The member's lists are served from its API server's watch cache and may lag by milliseconds (say,
// behind another replica's write). So an object a list showed is applied only if it is still the
// version listed (the apply carries that resourceVersion: a conditional server-side apply). When it
// changed meanwhile (409), it is read fresh and diffed again: an object already as desired is not
// written twice, and one someone else took over is reported as a conflict instead of overwritten.
// The usual case costs no read: the list was current.
import type { CustomObjectsApi } from "@kubernetes/client-node";

import type { GeneratedObject } from "../../crds/istio.js";
import { diffObjects } from "../core/index.js";
import type { Conflict } from "../core/index.js";
import { applyObject } from "./apply-objects.js";
import { apiStatusOf } from "./istio-kinds.js";
import { getOptional } from "./member-objects.js";

export type WriteOutcome = { readonly result: "applied" | "replaced" | "unchanged" } | { readonly result: "conflict"; readonly conflict: Conflict };

/** Applies `object` if `resourceVersion` (the version the diff was made against) is still current. */
export async function applyIfCurrent(api: CustomObjectsApi, object: GeneratedObject, resourceVersion: string | undefined): Promise<WriteOutcome> {
  try {
    return { result: await applyObject(api, object, resourceVersion) };
  } catch (err) {
    if (resourceVersion === undefined || apiStatusOf(err) !== 409) throw err;
  }
  const fresh = await getOptional(api, object.metadata.namespace, object.kind, object.metadata.name);
  const recheck = diffObjects([object], fresh === undefined ? [] : [fresh]);
  const [conflict] = recheck.conflicts;
  if (conflict !== undefined) return { result: "conflict", conflict };
  if (recheck.apply.length === 0) return { result: "unchanged" };
  // Still different: apply against the version just read (a second change meanwhile fails the job, which retries).
  return { result: await applyObject(api, object, fresh?.metadata.resourceVersion) };
}
