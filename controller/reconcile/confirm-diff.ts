// The member's lists are served from its API server's watch cache and may lag by milliseconds (say,
// behind another replica's write). Before writing an object that a list showed, read it fresh and
// diff again: an object already as desired is not written twice, and one someone else took over
// meanwhile is reported as a conflict instead of overwritten.
import type { CustomObjectsApi } from "@kubernetes/client-node";

import { diffObjects } from "../core/index.js";
import type { ObjectDiff } from "../core/index.js";
import { getOptional } from "./member-objects.js";
import type { MemberObject } from "./member-objects.js";

const keyOf = (kind: string, name: string): string => `${kind}/${name}`;

export async function confirmDiff(api: CustomObjectsApi, namespace: string, diff: ObjectDiff, live: readonly MemberObject[]): Promise<ObjectDiff> {
  const listed = new Set(live.filter((object) => object.listed === true).map((object) => keyOf(object.kind, object.metadata.name)));
  const toConfirm = diff.apply.filter((object) => listed.has(keyOf(object.kind, object.metadata.name)));
  if (toConfirm.length === 0) return diff;
  const fresh = await Promise.all(toConfirm.map((object) => getOptional(api, namespace, object.kind, object.metadata.name)));
  const recheck = diffObjects(toConfirm, fresh.filter((object): object is MemberObject => object !== undefined));
  const stillToApply = new Set(recheck.apply.map((object) => keyOf(object.kind, object.metadata.name)));
  return {
    apply: diff.apply.filter((object) => !listed.has(keyOf(object.kind, object.metadata.name)) || stillToApply.has(keyOf(object.kind, object.metadata.name))),
    remove: diff.remove,
    conflicts: [...diff.conflicts, ...recheck.conflicts],
    unchanged: diff.unchanged + recheck.unchanged,
  };
}
