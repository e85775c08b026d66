// The watched objects of one member and kind, grouped by the identity label, so that a reconcile
// reads its identity's objects without scanning the whole namespace (a full resync of N identities
// would otherwise scan N × all objects). Kept in step by the watch: `changed` on every event with the
// object as the watch now holds it (undefined when gone), `rebuild` when the watch's cache is replaced.
import { IDENTITY_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../core/index.js";

interface Labelled {
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
}

export class IdentityIndex<T extends Labelled> {
  /** identity → name → object */
  private readonly byIdentity = new Map<string, Map<string, T>>();
  /** name → the identity it is filed under */
  private readonly identityOf = new Map<string, string>();

  /** The object named `name` is now `current` (undefined: deleted). */
  changed(name: string, current: T | undefined): void {
    this.unfile(name);
    const identity = current?.metadata.labels?.[IDENTITY_LABEL];
    if (current === undefined || identity === undefined || identity === "") return;
    const bucket = this.byIdentity.get(identity) ?? new Map<string, T>();
    bucket.set(name, current);
    this.byIdentity.set(identity, bucket);
    this.identityOf.set(name, identity);
  }

  private unfile(name: string): void {
    const before = this.identityOf.get(name);
    if (before === undefined) return;
    const bucket = this.byIdentity.get(before);
    bucket?.delete(name);
    if (bucket?.size === 0) this.byIdentity.delete(before);
    this.identityOf.delete(name);
  }

  /** Replaces everything with `objects`. */
  rebuild(objects: readonly T[]): void {
    this.byIdentity.clear();
    this.identityOf.clear();
    for (const object of objects) this.changed(object.metadata.name, object);
  }

  /** The objects labelled with `identity`, by name. */
  of(identity: string): readonly T[] {
    return [...(this.byIdentity.get(identity)?.values() ?? [])];
  }

  /** The identities that Meridian's own objects (managed-by label) are filed under, and how many such objects. */
  owned(): { identities: Set<string>; count: number } {
    const identities = new Set<string>();
    let count = 0;
    for (const [identity, bucket] of this.byIdentity) {
      for (const object of bucket.values()) {
        if (object.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) continue;
        identities.add(identity);
        count += 1;
      }
    }
    return { identities, count };
  }
}
