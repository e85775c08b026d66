// The difference between what one identity should have in one cluster and what is there.
// Pure: desired objects from the planner and live objects from a cache in, the writes out.
// An object is written only when it differs (spec, or one of Meridian's labels); Meridian deletes
// only objects carrying its managed-by label, and an unlabelled object with a desired name is a
// conflict to report, never something to overwrite.
import { deepEqual } from "../../crds/compare.js";
import type { GeneratedObject } from "../../crds/istio.js";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "./names.js";

/** The parts of a live ServiceEntry or DestinationRule the diff looks at. */
export interface LiveObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: unknown;
}

export interface ObjectKey {
  readonly kind: string;
  readonly name: string;
}

export interface Conflict extends ObjectKey {
  readonly message: string;
}

export interface ObjectDiff {
  /** Desired objects that are missing or differ: to be server-side applied. */
  readonly apply: readonly GeneratedObject[];
  /** Meridian's objects that are no longer desired: to be deleted. */
  readonly remove: readonly ObjectKey[];
  /** Desired objects whose name is taken by an object Meridian does not own. */
  readonly conflicts: readonly Conflict[];
  /** Desired objects already as wanted. */
  readonly unchanged: number;
}

const keyOf = (kind: string, name: string): string => `${kind}/${name}`;

export const isManaged = (live: LiveObject): boolean => live.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;

/**
 * `live` holds every object of the identity's kinds that could matter: Meridian's objects labelled
 * with the identity, and any object (owned or not) whose name a desired object uses.
 */
export function diffObjects(desired: readonly GeneratedObject[], live: readonly LiveObject[]): ObjectDiff {
  const liveByKey = new Map(live.map((object) => [keyOf(object.kind, object.metadata.name), object]));
  const desiredKeys = new Set(desired.map((object) => keyOf(object.kind, object.metadata.name)));
  const apply: GeneratedObject[] = [];
  const conflicts: Conflict[] = [];
  let unchanged = 0;
  for (const object of desired) {
    const current = liveByKey.get(keyOf(object.kind, object.metadata.name));
    if (current !== undefined && !isManaged(current)) {
      conflicts.push({ kind: object.kind, name: object.metadata.name, message: conflictMessage(object) });
    } else if (current !== undefined && matches(object, current)) {
      unchanged += 1;
    } else {
      apply.push(object);
    }
  }
  const remove = live
    .filter((object) => isManaged(object) && !desiredKeys.has(keyOf(object.kind, object.metadata.name)))
    .map((object) => ({ kind: object.kind, name: object.metadata.name }))
    .sort((a, b) => keyOf(a.kind, a.name).localeCompare(keyOf(b.kind, b.name)));
  return { apply, remove, conflicts, unchanged };
}

function conflictMessage(object: GeneratedObject): string {
  const { namespace, name } = object.metadata;
  return `${object.kind} ${namespace}/${name} exists but is not managed by Meridian (no ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE} label): left untouched; rename or delete it so Meridian can write its own`;
}

/** Same spec, and every label Meridian sets has its value (others may add labels). */
function matches(desired: GeneratedObject, live: LiveObject): boolean {
  const labels = live.metadata.labels ?? {};
  const labelsMatch = Object.entries(desired.metadata.labels).every(([key, value]) => labels[key] === value);
  return labelsMatch && deepEqual(desired.spec, live.spec);
}

export { deepEqual };
