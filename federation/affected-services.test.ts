import type { V1Service } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";

import { affectedServices } from "./affected-services.js";

function service(name: string, selector: Record<string, string> | undefined, namespace = "shop"): V1Service {
  return { metadata: { name, namespace }, spec: { selector } };
}

const services = [
  service("payments", { app: "payments" }),
  service("payments-headless", { app: "payments" }),
  service("inventory", { app: "inventory" }),
  service("payments", { app: "payments" }, "other"),
  service("manual", undefined),
];

describe("affectedServices", () => {
  it("maps a Service to itself", () => {
    expect(affectedServices({ kind: "Service", object: service("anything", undefined) }, [])).toEqual([{ namespace: "shop", name: "anything" }]);
  });

  it("maps an EndpointSlice to the Service named by its label, or to nothing", () => {
    const owned = { metadata: { name: "payments-x1", namespace: "shop", labels: { "kubernetes.io/service-name": "payments" } }, addressType: "IPv4", endpoints: [] };
    const unowned = { metadata: { name: "stray", namespace: "shop" }, addressType: "IPv4", endpoints: [] };
    expect(affectedServices({ kind: "EndpointSlice", object: owned }, [])).toEqual([{ namespace: "shop", name: "payments" }]);
    expect(affectedServices({ kind: "EndpointSlice", object: unowned }, [])).toEqual([]);
  });

  it("maps a Deployment or Rollout to the Services of its namespace that select its pods, sorted", () => {
    const object = { metadata: { name: "payments", namespace: "shop" }, spec: { template: { metadata: { labels: { app: "payments", tier: "web" } } } } };
    const expected = [
      { namespace: "shop", name: "payments" },
      { namespace: "shop", name: "payments-headless" },
    ];
    expect(affectedServices({ kind: "Deployment", object }, services)).toEqual(expected);
    expect(affectedServices({ kind: "Rollout", object }, [...services].reverse())).toEqual(expected);
  });

  it("maps a workload that no Service selects to nothing", () => {
    const object = { metadata: { name: "batch", namespace: "shop" }, spec: { template: { metadata: { labels: { app: "batch" } } } } };
    expect(affectedServices({ kind: "Deployment", object }, services)).toEqual([]);
  });
});
