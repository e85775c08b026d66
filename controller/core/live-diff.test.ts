import { describe, expect, it } from "vitest";

import type { ServiceEntry } from "../../crds/istio.js";
import type { LiveObject } from "./diff.js";
import { compareLive, liveDiffClean } from "./live-diff.js";

const labels = { "app.kubernetes.io/managed-by": "meridian", "meridian.dev/identity": "payments", "meridian.dev/env": "prod" };
const entry = (name: string, address = "192.0.2.10"): ServiceEntry => ({
  apiVersion: "networking.istio.io/v1",
  kind: "ServiceEntry",
  metadata: { name, namespace: "meridian-sync", labels },
  spec: { hosts: [name], ports: [{ number: 80, protocol: "HTTP", name: "http" }], location: "MESH_INTERNAL", resolution: "DNS", endpoints: [{ address, ports: { http: 15443 }, labels: {}, locality: "us-east/a" }] },
});
const live = (o: ServiceEntry, extraLabels: Record<string, string> = {}): LiveObject => ({ kind: o.kind, metadata: { name: o.metadata.name, labels: { ...o.metadata.labels, ...extraLabels } }, spec: o.spec });

describe("compareLive", () => {
  it("sorts desired objects into in sync, missing, drifted (with the fields), extra and conflicts", () => {
    const desired = [entry("a"), entry("b"), entry("c"), entry("d")];
    const found = [
      live(entry("a"), { team: "x" }),
      live(entry("c", "192.0.2.99")),
      { kind: "ServiceEntry", metadata: { name: "d", labels: {} }, spec: {} },
      live(entry("old")),
    ];
    const diff = compareLive(desired, found);
    expect(diff.inSync).toEqual([{ kind: "ServiceEntry", name: "a" }]);
    expect(diff.missing).toEqual([{ kind: "ServiceEntry", name: "b" }]);
    expect(diff.drifted).toEqual([{ kind: "ServiceEntry", name: "c", fields: [{ path: "spec.endpoints[0].address", before: "192.0.2.99", after: "192.0.2.10" }] }]);
    expect(diff.conflicts).toEqual([{ kind: "ServiceEntry", name: "d" }]);
    expect(diff.extra).toEqual([{ kind: "ServiceEntry", name: "old" }]);
    expect(liveDiffClean(diff)).toBe(false);
  });

  it("reports an edited Meridian label as drift, and a clean cluster as clean", () => {
    const diff = compareLive([entry("a")], [live(entry("a"), { "meridian.dev/env": "staging" })]);
    expect(diff.drifted[0]?.fields).toEqual([{ path: 'metadata.labels["meridian.dev/env"]', before: "staging", after: "prod" }]);
    expect(liveDiffClean(compareLive([entry("a")], [live(entry("a"))]))).toBe(true);
  });
});
