import { describe, expect, it } from "vitest";

import { describeChange, fieldChanges } from "./field-diff.js";

describe("fieldChanges", () => {
  it("names a changed leaf by its YAML path, through arrays and maps", () => {
    const before = { spec: { endpoints: [{ address: "192.0.2.9" }, { address: "192.0.2.10", ports: { http: 15443 } }] } };
    const after = { spec: { endpoints: [{ address: "192.0.2.9" }, { address: "192.0.2.11", ports: { http: 15443 } }] } };
    const changes = fieldChanges(before, after);
    expect(changes).toEqual([{ path: "spec.endpoints[1].address", before: "192.0.2.10", after: "192.0.2.11" }]);
    expect(changes.map(describeChange)).toEqual(["spec.endpoints[1].address: 192.0.2.10 → 192.0.2.11"]);
  });

  it("quotes keys that are not plain names, and reports added and removed fields and elements", () => {
    const before = { labels: { "meridian.dev/env": "prod" }, list: [1, 2] };
    const after = { labels: { "meridian.dev/env": "staging", team: "x" }, list: [1] };
    expect(fieldChanges(before, after).map(describeChange)).toEqual([
      'labels["meridian.dev/env"]: prod → staging',
      "labels.team: added x",
      "list[1]: removed (was 2)",
    ]);
  });

  it("finds nothing between equal values whatever their key order, and the whole subtree when a type changes", () => {
    expect(fieldChanges({ a: 1, b: { c: [1] } }, { b: { c: [1] }, a: 1 })).toEqual([]);
    expect(fieldChanges({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: "a", before: { b: 1 }, after: [1] }]);
  });
});
