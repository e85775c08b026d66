import type { V1Deployment, V1Endpoint, V1EndpointSlice, V1Service, V1ServicePort } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";

import { clusterName } from "./graph-model.js";
import type { PodController } from "./identity.js";
import { deriveWorkloads } from "./workloads.js";
import type { DeriveWorkloadsInput } from "./workloads.js";

type Labels = Record<string, string>;
const cluster = clusterName("east-1");

function service(name: string, parts: { namespace?: string; selector?: Labels; labels?: Labels; ports?: V1ServicePort[]; clusterIP?: string; type?: string } = {}): V1Service {
  return {
    metadata: { name, namespace: parts.namespace ?? "shop", labels: parts.labels },
    spec: { selector: parts.selector ?? { app: name }, ports: parts.ports ?? [{ name: "http", port: 80, targetPort: 8080 }], clusterIP: parts.clusterIP, type: parts.type },
  };
}

function deployment(app: string, podLabels: Labels, namespace = "shop"): V1Deployment {
  return {
    metadata: { name: app, namespace },
    spec: { selector: { matchLabels: { app } }, template: { metadata: { labels: { app, ...podLabels } } } },
  };
}

function slice(serviceName: string, name: string, endpoints: V1Endpoint[], namespace = "shop"): V1EndpointSlice {
  return { metadata: { name, namespace, labels: { "kubernetes.io/service-name": serviceName } }, addressType: "IPv4", endpoints };
}

function ready(address: string, zone?: string, isReady?: boolean): V1Endpoint {
  return { addresses: [address], zone, conditions: isReady === undefined ? {} : { ready: isReady }, targetRef: { kind: "Pod", namespace: "shop", name: address } };
}

function input(parts: Partial<DeriveWorkloadsInput>): DeriveWorkloadsInput {
  return { cluster, services: [], endpointSlices: [], deployments: [], rollouts: [], ...parts };
}

describe("deriveWorkloads", () => {
  it("derives one workload per Service with an identity, with ports and ready endpoints per zone", () => {
    const result = deriveWorkloads(
      input({
        services: [service("payments", { ports: [{ name: "http", port: 80, targetPort: 8080 }, { name: "grpc", port: 9090, targetPort: "grpc" }] })],
        deployments: [deployment("payments", { identity: "payments", env: "prod" })],
        endpointSlices: [slice("payments", "payments-abc", [ready("10.0.0.1", "z1"), ready("10.0.0.2", "z2"), ready("10.0.0.3", "z2", false)])],
      }),
    );
    expect(result).toEqual({
      workloads: [
        {
          identity: "payments",
          env: "prod",
          cluster: "east-1",
          namespace: "shop",
          service: "payments",
          ports: [
            { name: "http", port: 80, targetPort: 8080 },
            { name: "grpc", port: 9090 },
          ],
          readyByZone: { z1: 1, z2: 1 },
        },
      ],
      skipped: [],
    });
  });

  it("leaves out Services without any identity, without reporting them", () => {
    const result = deriveWorkloads(input({ services: [service("kubernetes", { selector: {} }), service("plain")], deployments: [deployment("plain", {})] }));
    expect(result).toEqual({ workloads: [], skipped: [] });
  });

  it("takes identities from Rollouts too", () => {
    const rollout: PodController = { metadata: { name: "cart", namespace: "shop" }, spec: { template: { metadata: { labels: { app: "cart", identity: "cart" } } } } };
    const result = deriveWorkloads(input({ services: [service("cart")], rollouts: [rollout] }));
    expect(result.workloads.map((w) => w.identity)).toEqual(["cart"]);
  });

  it("federates a Service without selector from its own identity label and its hand-made EndpointSlices", () => {
    const svc: V1Service = { metadata: { name: "legacy", namespace: "shop", labels: { identity: "legacy" } }, spec: { ports: [{ name: "tcp-db", port: 5432 }] } };
    const result = deriveWorkloads(input({ services: [svc], endpointSlices: [slice("legacy", "legacy-manual", [ready("192.168.1.10")])] }));
    expect(result.workloads).toMatchObject([{ identity: "legacy", env: "default", ports: [{ name: "tcp-db", port: 5432 }], readyByZone: { "": 1 } }]);
  });

  it("keeps a workload whose endpoints are all unready, with no zones", () => {
    const result = deriveWorkloads(
      input({
        services: [service("payments")],
        deployments: [deployment("payments", { identity: "payments" })],
        endpointSlices: [slice("payments", "s1", [ready("10.0.0.1", "z1", false)])],
      }),
    );
    expect(result.workloads).toMatchObject([{ identity: "payments", readyByZone: {} }]);
  });

  it("reads only the EndpointSlices of the Service, in its namespace", () => {
    const result = deriveWorkloads(
      input({
        services: [service("payments")],
        deployments: [deployment("payments", { identity: "payments" })],
        endpointSlices: [
          slice("payments", "mine", [ready("10.0.0.1", "z1")]),
          slice("payments", "other-namespace", [ready("10.0.1.1", "z1")], "other"),
          slice("inventory", "other-service", [ready("10.0.2.1", "z1")]),
          { metadata: { name: "unowned", namespace: "shop" }, addressType: "IPv4", endpoints: [ready("10.0.3.1", "z1")] },
        ],
      }),
    );
    expect(result.workloads[0]?.readyByZone).toEqual({ z1: 1 });
  });

  it("counts dual-stack endpoints once", () => {
    const v6 = (name: string, address: string): V1Endpoint => ({ addresses: [address], zone: "z1", targetRef: { kind: "Pod", namespace: "shop", name } });
    const result = deriveWorkloads(
      input({
        services: [service("payments")],
        deployments: [deployment("payments", { identity: "payments" })],
        endpointSlices: [
          slice("payments", "payments-v4", [v6("p1", "10.0.0.1"), v6("p2", "10.0.0.2")]),
          { ...slice("payments", "payments-v6", [v6("p1", "fd00::1"), v6("p2", "fd00::2")]), addressType: "IPv6" },
        ],
      }),
    );
    expect(result.workloads[0]?.readyByZone).toEqual({ z1: 2 });
  });

  it("reports Services with an identity that cannot be federated, sorted by namespace and name", () => {
    const result = deriveWorkloads(
      input({
        services: [
          service("udp-only", { labels: { identity: "udp-only" }, ports: [{ name: "dns", port: 53, protocol: "UDP" }] }),
          service("external", { labels: { identity: "external" }, type: "ExternalName", selector: {} }),
          service("bad", { namespace: "a-team", labels: { identity: "Bad_Name" } }),
        ],
      }),
    );
    expect(result.workloads).toEqual([]);
    expect(result.skipped).toEqual([
      { namespace: "a-team", name: "bad", reason: expect.stringContaining('identity "Bad_Name"') },
      { namespace: "shop", name: "external", reason: "is of type ExternalName: it has no endpoints to federate" },
      { namespace: "shop", name: "udp-only", reason: "has no TCP ports (UDP and SCTP are not federated)" },
    ]);
  });

  it("keeps one Service per identity and env: the regular one over a headless one", () => {
    const result = deriveWorkloads(
      input({
        services: [
          service("payments-headless", { selector: { app: "payments" }, clusterIP: "None" }),
          service("payments", { selector: { app: "payments" } }),
        ],
        deployments: [deployment("payments", { identity: "payments" })],
      }),
    );
    expect(result.workloads.map((w) => w.service)).toEqual(["payments"]);
    expect(result.skipped).toEqual([
      { namespace: "shop", name: "payments-headless", reason: "identity payments env default is already served by Service shop/payments" },
    ]);
  });

  it("keeps a headless Service when it is the only one", () => {
    const result = deriveWorkloads(input({ services: [service("db", { clusterIP: "None", labels: { identity: "db" } })] }));
    expect(result.workloads.map((w) => w.service)).toEqual(["db"]);
  });

  it("keeps the same identity in two envs apart", () => {
    const result = deriveWorkloads(
      input({
        services: [service("payments", { namespace: "prod" }), service("payments", { namespace: "qa" })],
        deployments: [deployment("payments", { identity: "payments", env: "prod" }, "prod"), deployment("payments", { identity: "payments", env: "qa" }, "qa")],
      }),
    );
    expect(result.workloads.map((w) => `${w.identity}/${w.env}@${w.namespace}`)).toEqual(["payments/prod@prod", "payments/qa@qa"]);
    expect(result.skipped).toEqual([]);
  });

  it("is deterministic: sorted by identity, env, namespace, Service whatever the input order", () => {
    const services = ["zeta", "alpha", "mid"].map((name) => service(name, { labels: { identity: name } }));
    const forward = deriveWorkloads(input({ services }));
    const backward = deriveWorkloads(input({ services: [...services].reverse() }));
    expect(forward.workloads.map((w) => w.identity)).toEqual(["alpha", "mid", "zeta"]);
    expect(backward).toEqual(forward);
  });
});
