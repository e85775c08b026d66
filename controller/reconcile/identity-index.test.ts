import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { IDENTITY_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../core/index.js";
import { IdentityIndex } from "./identity-index.js";

interface Obj {
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
}

const obj = (name: string, identity?: string, managed = true): Obj => ({
  metadata: { name, labels: { ...(identity === undefined ? {} : { [IDENTITY_LABEL]: identity }), ...(managed ? { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } : {}) } },
});
const names = (objects: readonly Obj[]): string[] => objects.map((o) => o.metadata.name).sort();

describe("IdentityIndex", () => {
  it("files objects by identity and moves a relabelled one", () => {
    const index = new IdentityIndex<Obj>();
    index.changed("a", obj("a", "web"));
    index.changed("b", obj("b", "web"));
    index.changed("c", obj("c", "pay"));
    expect(names(index.of("web"))).toEqual(["a", "b"]);
    index.changed("b", obj("b", "pay"));
    expect(names(index.of("web"))).toEqual(["a"]);
    expect(names(index.of("pay"))).toEqual(["b", "c"]);
    index.changed("a", undefined);
    expect(index.of("web")).toEqual([]);
    index.changed("c", obj("c"));
    expect(names(index.of("pay"))).toEqual(["b"]);
  });

  it("counts only Meridian's own objects as owned", () => {
    const index = new IdentityIndex<Obj>();
    index.rebuild([obj("a", "web"), obj("b", "web", false), obj("c", "pay", false), obj("d")]);
    expect(index.owned()).toEqual({ identities: new Set(["web"]), count: 1 });
  });

  it("after any sequence of events equals a scan of the final objects", () => {
    const event = fc.record({ name: fc.constantFrom("a", "b", "c", "d"), identity: fc.option(fc.constantFrom("web", "pay", "cart"), { nil: undefined }), gone: fc.boolean() });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const index = new IdentityIndex<Obj>();
        const current = new Map<string, Obj>();
        for (const e of events) {
          if (e.gone) current.delete(e.name);
          else current.set(e.name, obj(e.name, e.identity));
          index.changed(e.name, current.get(e.name));
        }
        for (const identity of ["web", "pay", "cart"]) {
          const scanned = [...current.values()].filter((o) => o.metadata.labels?.[IDENTITY_LABEL] === identity);
          expect(names(index.of(identity))).toEqual(names(scanned));
        }
      }),
    );
  });
});
