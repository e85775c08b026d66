import { describe, expect, test } from "vitest";

import type { ServiceEntry } from "../../crds/istio.js";
import { deepEqual, diffObjects } from "./diff.js";
import type { LiveObject } from "./diff.js";

const labels = { "app.kubernetes.io/managed-by": "meridian", "meridian.dev/identity": "payments", "meridian.dev/env": "prod" };

function serviceEntry(name: string, address = "10.0.0.1"): ServiceEntry {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "ServiceEntry",
    metadata: { name, namespace: "meridian-sync", labels },
    spec: {
      hosts: [name.replace(/-se$/, "")],
      ports: [{ number: 80, protocol: "HTTP", name: "http" }],
      location: "MESH_INTERNAL",
      resolution: "DNS",
      endpoints: [{ address, ports: { http: 15443 }, labels: {}, locality: "us-east/a" }],
    },
  };
}

/** How the object comes back from the API server: extra metadata, keys in another order. */
function asLive(object: ServiceEntry, extraLabels: Record<string, string> = {}): LiveObject {
  const { endpoints, ...rest } = object.spec;
  return { kind: object.kind, metadata: { name: object.metadata.name, labels: { team: "x", ...object.metadata.labels, ...extraLabels } }, spec: { endpoints, ...rest } };
}

describe("diffObjects", () => {
  test("an unchanged object is not written", () => {
    const desired = serviceEntry("prod.payments.global-se");
    expect(diffObjects([desired], [asLive(desired)])).toEqual({ apply: [], remove: [], conflicts: [], unchanged: 1 });
  });

  test("a missing or hand-edited object is applied again", () => {
    const desired = serviceEntry("prod.payments.global-se");
    expect(diffObjects([desired], []).apply).toEqual([desired]);
    const edited = asLive(serviceEntry("prod.payments.global-se", "10.9.9.9"));
    expect(diffObjects([desired], [edited]).apply).toEqual([desired]);
    const relabelled = asLive(desired, { "meridian.dev/env": "staging" });
    expect(diffObjects([desired], [relabelled]).apply).toEqual([desired]);
  });

  test("Meridian's objects that are no longer desired are removed; unlabelled ones never are", () => {
    const stale = asLive(serviceEntry("prod.old.global-se"));
    const foreign: LiveObject = { kind: "ServiceEntry", metadata: { name: "hand-made", labels: {} }, spec: {} };
    expect(diffObjects([], [stale, foreign])).toEqual({ apply: [], remove: [{ kind: "ServiceEntry", name: "prod.old.global-se" }], conflicts: [], unchanged: 0 });
  });

  test("an unowned object with a desired name is a conflict, not a write", () => {
    const desired = serviceEntry("prod.payments.global-se");
    const foreign: LiveObject = { kind: "ServiceEntry", metadata: { name: "prod.payments.global-se" }, spec: {} };
    const diff = diffObjects([desired], [foreign]);
    expect(diff.apply).toEqual([]);
    expect(diff.remove).toEqual([]);
    expect(diff.conflicts).toHaveLength(1);
    expect(diff.conflicts[0]?.message).toContain("ServiceEntry meridian-sync/prod.payments.global-se exists but is not managed by Meridian");
  });
});

describe("deepEqual", () => {
  test("ignores key order and undefined values, not array order", () => {
    expect(deepEqual({ a: 1, b: [1, 2], c: undefined }, { b: [1, 2], a: 1 })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
  });
});
