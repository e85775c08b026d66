// Is a member cluster what Meridian wants (`meridian diff`, `meridian explain`)? The desired objects
// of one cluster against the live ones in its sync namespace: missing, drifted (field by field),
// extra (Meridian's label, no longer desired) and name conflicts with objects Meridian does not
// own. The verdicts are `diffObjects`' (what the reconciler would write); this adds the fields.
import type { GeneratedObject } from "../../crds/istio.js";
import { compareKeys } from "./compare.js";
import { diffObjects, type LiveObject, type ObjectKey } from "./diff.js";
import type { FieldChange } from "./field-diff.js";
import { objectChanges } from "./plan-diff.js";

export interface DriftedObject extends ObjectKey {
  readonly fields: readonly FieldChange[];
}

export interface LiveDiff {
  readonly missing: readonly ObjectKey[];
  readonly drifted: readonly DriftedObject[];
  readonly extra: readonly ObjectKey[];
  /** Desired names taken by objects without Meridian's managed-by label. */
  readonly conflicts: readonly ObjectKey[];
  readonly inSync: readonly ObjectKey[];
}

const keyOf = (o: ObjectKey): string => `${o.kind}/${o.name}`;

export function compareLive(desired: readonly GeneratedObject[], live: readonly LiveObject[]): LiveDiff {
  const verdict = diffObjects(desired, live);
  const liveByKey = new Map(live.map((o) => [keyOf({ kind: o.kind, name: o.metadata.name }), o]));
  const toApply = new Set(verdict.apply.map((o) => keyOf({ kind: o.kind, name: o.metadata.name })));
  const conflicting = new Set(verdict.conflicts.map(keyOf));
  const missing: ObjectKey[] = [];
  const drifted: DriftedObject[] = [];
  const inSync: ObjectKey[] = [];
  for (const object of desired) {
    const key: ObjectKey = { kind: object.kind, name: object.metadata.name };
    const current = liveByKey.get(keyOf(key));
    if (conflicting.has(keyOf(key))) continue;
    if (current === undefined) missing.push(key);
    else if (toApply.has(keyOf(key))) drifted.push({ ...key, fields: driftOf(object, current) });
    else inSync.push(key);
  }
  return {
    missing: sorted(missing),
    drifted: sorted(drifted),
    extra: sorted([...verdict.remove]),
    conflicts: sorted(verdict.conflicts.map((c) => ({ kind: c.kind, name: c.name }))),
    inSync: sorted(inSync),
  };
}

/**
 * From the live object to the desired one (`before` is what the cluster holds, `after` what the
 * controller would write back). Only Meridian's labels count: others may add labels of their own.
 */
function driftOf(desired: GeneratedObject, live: LiveObject): FieldChange[] {
  const liveLabels = live.metadata.labels ?? {};
  const ownLabels = Object.fromEntries(Object.keys(desired.metadata.labels).filter((k) => k in liveLabels).map((k) => [k, liveLabels[k] as string]));
  return objectChanges({ metadata: { labels: ownLabels }, spec: live.spec }, { metadata: { labels: desired.metadata.labels }, spec: desired.spec });
}

export const liveDiffClean = (d: LiveDiff): boolean => d.missing.length + d.drifted.length + d.extra.length + d.conflicts.length === 0;

function sorted<T extends ObjectKey>(keys: T[]): T[] {
  return keys.sort((a, b) => compareKeys([a.name, a.kind], [b.name, b.kind]));
}
