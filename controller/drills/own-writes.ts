// The drills a runner wrote, newer than the watch until the watch catches up: each entry keeps the
// resourceVersions its writes replaced, and while the watch still shows one of them the written
// drill is used instead (stepping the old version again would be refused with a 409).
interface Versioned {
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly resourceVersion?: string };
}

const keyOf = (object: Versioned): string => `${object.metadata.namespace ?? ""}/${object.metadata.name}`;

export class OwnWrites<T extends Versioned> {
  private readonly entries = new Map<string, { superseded: Set<string>; written: T }>();

  /** `before` was replaced by `written`. */
  wrote(before: T, written: T): void {
    const key = keyOf(written);
    const superseded = this.entries.get(key)?.superseded ?? new Set<string>();
    superseded.add(before.metadata.resourceVersion ?? "");
    this.entries.set(key, { superseded, written });
  }

  /** Each watched object, or this runner's later write of it; forgets objects that are gone and writes the watch caught up with. */
  newest(watched: readonly T[]): T[] {
    const keys = new Set(watched.map(keyOf));
    for (const key of [...this.entries.keys()]) if (!keys.has(key)) this.entries.delete(key);
    return watched.map((object) => {
      const key = keyOf(object);
      const own = this.entries.get(key);
      if (own !== undefined && own.superseded.has(object.metadata.resourceVersion ?? "")) return own.written;
      this.entries.delete(key);
      return object;
    });
  }
}
