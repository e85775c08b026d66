import { describe, expect, it } from "vitest";

import { parseFailoverDrill, parseMeshCluster, parseServiceDependency, parseTrafficPolicy } from "../../crds/index.js";
import type { FailoverDrill, MeshCluster } from "../../crds/index.js";
import { activeDrillOf, dependencyOf, loadBalancerAddress, memberClusterOf, trafficPolicyOf } from "./to-model.js";

function parsed<T>(result: { ok: true; value: T } | { ok: false; errors: unknown }): T {
  if (!result.ok) throw new Error(`fixture does not parse: ${JSON.stringify(result.errors)}`);
  return result.value;
}

function meshCluster(spec: Record<string, unknown>): MeshCluster {
  const object = { apiVersion: "meridian.dev/v1alpha1", kind: "MeshCluster", metadata: { name: "east-1" }, spec: { region: "us-east", kubeconfigSecretRef: { name: "s" }, ...spec } };
  return parsed(parseMeshCluster(object));
}

function drill(phase: string | undefined, spec: Record<string, unknown> = {}): FailoverDrill {
  const object = {
    apiVersion: "meridian.dev/v1alpha1",
    kind: "FailoverDrill",
    metadata: { name: "d", namespace: "ops" },
    spec: { target: { region: "us-east" }, ...spec },
    ...(phase === undefined ? {} : { status: { phase } }),
  };
  return parsed(parseFailoverDrill(object));
}

describe("memberClusterOf", () => {
  it("defaults the network to the cluster's name and the zone to empty, and has no gateway unless one is named", () => {
    expect(memberClusterOf(meshCluster({}))).toEqual({ name: "east-1", region: "us-east", zone: "", network: "east-1" });
  });

  it("takes an explicit gateway address, with the default port", () => {
    expect(memberClusterOf(meshCluster({ zone: "a", network: "net-1", gateway: { address: "gw.example.com" } }))).toEqual({
      name: "east-1",
      region: "us-east",
      zone: "a",
      network: "net-1",
      gateway: { address: "gw.example.com", port: 15443 },
    });
  });

  it("takes the gateway Service's load-balancer address, and has none while it has no ingress", () => {
    const cluster = meshCluster({ gateway: { serviceRef: { namespace: "istio-system", name: "eastwest" }, port: 15444 } });
    const service = { status: { loadBalancer: { ingress: [{ hostname: "" }, { ip: "203.0.113.7" }] } } };
    expect(memberClusterOf(cluster, service).gateway).toEqual({ address: "203.0.113.7", port: 15444 });
    expect(memberClusterOf(cluster, { status: {} }).gateway).toBeUndefined();
    expect(memberClusterOf(cluster).gateway).toBeUndefined();
  });

  it("prefers the ingress IP over the hostname of the same entry", () => {
    expect(loadBalancerAddress({ status: { loadBalancer: { ingress: [{ ip: "198.51.100.1", hostname: "lb.example.com" }] } } })).toBe("198.51.100.1");
    expect(loadBalancerAddress({ status: { loadBalancer: { ingress: [{ hostname: "lb.example.com" }] } } })).toBe("lb.example.com");
  });
});

describe("dependencyOf and trafficPolicyOf", () => {
  it("keep envs only where set", () => {
    const object = {
      apiVersion: "meridian.dev/v1alpha1",
      kind: "ServiceDependency",
      metadata: { name: "checkout", namespace: "shop" },
      spec: { source: { identity: "checkout", env: "prod" }, destinations: [{ identity: "payments" }, { identity: "cart", env: "prod" }] },
    };
    expect(dependencyOf(parsed(parseServiceDependency(object)))).toEqual({
      ref: { kind: "ServiceDependency", namespace: "shop", name: "checkout" },
      source: { identity: "checkout", env: "prod" },
      destinations: [{ identity: "payments" }, { identity: "cart", env: "prod" }],
    });
  });

  it("applies the policy defaults and carries the creation time", () => {
    const object = {
      apiVersion: "meridian.dev/v1alpha1",
      kind: "TrafficPolicy",
      metadata: { name: "p", namespace: "shop", creationTimestamp: "2026-05-01T12:00:00Z" },
      spec: { identity: "payments" },
    };
    expect(trafficPolicyOf(parsed(parseTrafficPolicy(object)))).toEqual({
      ref: { kind: "TrafficPolicy", namespace: "shop", name: "p" },
      createdAt: "2026-05-01T12:00:00Z",
      identity: "payments",
      mode: "Topology",
      regions: [],
      weights: [],
    });
  });
});

describe("activeDrillOf", () => {
  it("is the drill while it is Evacuating or Holding, and undefined in every other phase", () => {
    expect(activeDrillOf(drill("Evacuating", { identities: ["payments"] }))).toEqual({
      ref: { kind: "FailoverDrill", namespace: "ops", name: "d" },
      target: { region: "us-east" },
      identities: ["payments"],
    });
    expect(activeDrillOf(drill("Holding", { target: { cluster: "east-1" } }))?.target).toEqual({ cluster: "east-1" });
    for (const phase of [undefined, "Pending", "Preflight", "Restoring", "Completed", "Aborted", "Failed", "Refused"]) {
      expect(activeDrillOf(drill(phase))).toBeUndefined();
    }
  });

  it("leaves out an empty list of identities (every identity)", () => {
    expect(activeDrillOf(drill("Holding", { identities: [] }))).not.toHaveProperty("identities");
  });
});
