import { describe, expect, test } from "vitest";

import { clusterName } from "../core/index.js";
import type { PlanInput } from "../core/index.js";
import { PlannerCache } from "./planner-cache.js";

const options = { hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: 10 };

function snapshot(ready: number): Omit<PlanInput, "options"> {
  return {
    clusters: [
      { name: clusterName("a"), region: "us-east", zone: "", network: "", gateway: { address: "192.0.2.1", port: 15443 } },
      { name: clusterName("b"), region: "eu-west", zone: "", network: "", gateway: { address: "192.0.2.2", port: 15443 } },
    ],
    workloads: [{ identity: "payments", env: "default", cluster: clusterName("a"), namespace: "pay", service: "payments", ports: [{ name: "http", port: 80 }], readyByZone: { "": ready } }],
    dependencies: [],
    policies: [],
    drills: [],
  };
}

describe("PlannerCache", () => {
  test("plans from the current snapshot and replans only when the snapshot object changes", () => {
    let current = snapshot(1);
    let reads = 0;
    const cache = new PlannerCache({ snapshot: () => ((reads += 1), current) }, options);
    const first = cache.desiredFor("a", "payments");
    expect(first.objects.map((o) => o.kind)).toEqual(["ServiceEntry", "DestinationRule"]);
    const again = cache.desiredFor("a", "payments");
    expect(again.objects[0]).toBe(first.objects[0]);
    current = snapshot(2);
    const replanned = cache.desiredFor("a", "payments");
    expect(replanned.objects[0]).not.toBe(first.objects[0]);
    expect(reads).toBeGreaterThan(0);
  });

  test("an unknown cluster or identity wants nothing", () => {
    const cache = new PlannerCache({ snapshot: () => snapshot(1) }, options);
    expect(cache.desiredFor("nowhere", "payments").objects).toEqual([]);
    expect(cache.desiredFor("a", "unknown").objects).toEqual([]);
  });
});
