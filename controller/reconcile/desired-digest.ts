// A short digest of the objects one identity should have in one cluster: the reconciler records it
// after making them live, and status compares it with the current plan's. The planner's output is
// deterministic (sorted objects, fixed key order), so equal plans give equal digests.
import { createHash } from "node:crypto";

import type { GeneratedObject } from "../../crds/istio.js";

/** Undefined when there are no objects (nothing to record). */
export function desiredDigest(objects: readonly GeneratedObject[]): string | undefined {
  if (objects.length === 0) return undefined;
  return createHash("sha256").update(JSON.stringify(objects)).digest("hex").slice(0, 16);
}

/** The digest a job carries: desiredDigest, or "none" for no objects. */
export function planDigest(objects: readonly GeneratedObject[]): string {
  return desiredDigest(objects) ?? "none";
}
