import { describe, expect, it } from "vitest";

import { readyByZone } from "./ready-endpoints.js";
import type { EndpointLike, EndpointSliceLike } from "./ready-endpoints.js";

function slice(name: string, endpoints: EndpointLike[]): EndpointSliceLike {
  return { metadata: { name, namespace: "shop", labels: { "kubernetes.io/service-name": "payments" } }, endpoints };
}

function pod(name: string, address: string, extra: Partial<EndpointLike> = {}): EndpointLike {
  return { addresses: [address], targetRef: { kind: "Pod", namespace: "shop", name }, ...extra };
}

describe("readyByZone", () => {
  it("counts ready endpoints per zone, a nil ready condition meaning ready", () => {
    const result = readyByZone([
      slice("a", [
        pod("p1", "10.0.0.1", { zone: "us-east-1a", conditions: { ready: true } }),
        pod("p2", "10.0.0.2", { zone: "us-east-1a" }),
        pod("p3", "10.0.0.3", { zone: "us-east-1b", conditions: {} }),
      ]),
    ]);
    expect(result).toEqual({ "us-east-1a": 2, "us-east-1b": 1 });
  });

  it("leaves out endpoints that are not ready, and zones with none ready", () => {
    const result = readyByZone([
      slice("a", [
        pod("p1", "10.0.0.1", { zone: "z1", conditions: { ready: false } }),
        pod("p2", "10.0.0.2", { zone: "z2", conditions: { ready: false, terminating: true } }),
        pod("p3", "10.0.0.3", { zone: "z2" }),
      ]),
    ]);
    expect(result).toEqual({ z2: 1 });
  });

  it("puts endpoints without a zone under the empty zone, falling back to the deprecated topology label", () => {
    const result = readyByZone([
      slice("a", [pod("p1", "10.0.0.1"), pod("p2", "10.0.0.2", { deprecatedTopology: { "topology.kubernetes.io/zone": "z9" } })]),
    ]);
    expect(result).toEqual({ "": 1, z9: 1 });
  });

  it("counts a dual-stack pod once (same targetRef, one address per family)", () => {
    const result = readyByZone([
      slice("payments-v4", [pod("p1", "10.0.0.1", { zone: "z1" }), pod("p2", "10.0.0.2", { zone: "z1" })]),
      slice("payments-v6", [pod("p1", "fd00::1", { zone: "z1" }), pod("p2", "fd00::2", { zone: "z1" })]),
    ]);
    expect(result).toEqual({ z1: 2 });
  });

  it("counts the same address in two slices once (migration), ready if any copy is", () => {
    const bare = (ready: boolean): EndpointLike => ({ addresses: ["10.0.0.1"], zone: "z1", conditions: { ready } });
    expect(readyByZone([slice("old", [bare(false)]), slice("new", [bare(true)])])).toEqual({ z1: 1 });
    expect(readyByZone([slice("old", [bare(false)]), slice("new", [bare(false)])])).toEqual({});
  });

  it("takes a duplicated backend's zone from the first slice by name, whatever the input order", () => {
    const slices = [slice("b", [pod("p1", "10.0.0.1", { zone: "zb" })]), slice("a", [pod("p1", "10.0.0.1", { zone: "za" })])];
    expect(readyByZone(slices)).toEqual({ za: 1 });
    expect(readyByZone([...slices].reverse())).toEqual({ za: 1 });
  });

  it("counts distinct pods that share no address or reference separately, and ignores endpoints without address", () => {
    const result = readyByZone([slice("a", [pod("p1", "10.0.0.1"), pod("p2", "10.0.0.2"), { addresses: [] }, { addresses: [""] }])]);
    expect(result).toEqual({ "": 2 });
  });

  it("returns zones in sorted order", () => {
    const result = readyByZone([slice("a", [pod("p1", "10.0.0.1", { zone: "c" }), pod("p2", "10.0.0.2", { zone: "a" }), pod("p3", "10.0.0.3")])]);
    expect(Object.keys(result)).toEqual(["", "a", "c"]);
  });
});
