// The demo's pure parts: what the scenario implies, how convergence is judged, how objects read.
import { describe, expect, test } from "vitest";

import type { DestinationRule, ServiceEntry } from "../../crds/istio.js";
import { differences, type ClusterObjects, type LiveDestinationRule, type LiveServiceEntry } from "./convergence.js";
import { localityText, renderCluster, renderRoutes } from "./report.js";
import { expectedHosts, SCENARIO } from "./scenario.js";
import { allEndpoints, noneIn, renderSidecarLine, type DemoSidecar } from "./sidecars.js";

function serviceEntry(name: string, endpoints: { address: string; locality: string; port: number }[]): LiveServiceEntry {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "ServiceEntry",
    metadata: { name, namespace: "meridian-sync", labels: {} },
    spec: {
      hosts: [name.replace(/-se$/, "")],
      ports: [{ number: 80, name: "http", protocol: "HTTP" }],
      location: "MESH_INTERNAL",
      resolution: "DNS",
      endpoints: endpoints.map(({ address, locality, port }) => ({ address, locality, ports: { http: port }, labels: {} })),
    },
  } satisfies ServiceEntry;
}

function destinationRule(name: string, localityLbSetting: DestinationRule["spec"]["trafficPolicy"]["loadBalancer"]["localityLbSetting"]): LiveDestinationRule {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name, namespace: "meridian-sync", labels: {} },
    spec: {
      host: name.replace(/-dr$/, ""),
      trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" }, outlierDetection: { interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 100 }, loadBalancer: { localityLbSetting } },
    },
  } satisfies DestinationRule;
}

describe("the demo scenario", () => {
  test("places each host where its identity runs and where its callers run", () => {
    const placed = Object.fromEntries([...expectedHosts(SCENARIO)].map(([cluster, hosts]) => [cluster, hosts.map((host) => `${host.serviceEntry} ${host.endpoints} ${host.mode}`)]));
    expect(placed).toEqual({
      "us-east-1a": ["default.web.global-se 2 Topology", "default.checkout.global-se 2 Topology", "default.payments.global-se 2 Failover"],
      "us-east-1b": ["default.payments.global-se 2 Failover"],
      "eu-west-1a": ["default.web.global-se 2 Topology", "default.checkout.global-se 2 Topology", "default.payments.global-se 2 Failover"],
    });
  });
});

describe("convergence", () => {
  const [payments] = expectedHosts(SCENARIO).get("us-east-1b") ?? [];
  const expected = payments === undefined ? [] : [payments];
  const twoEndpoints = [
    { address: "192.0.2.30", locality: "eu-west-1/eu-west-1a", port: 15443 },
    { address: "payments.shop.svc.cluster.local", locality: "us-east-1/us-east-1b", port: 80 },
  ];
  const failover = destinationRule("default.payments.global-dr", { enabled: true, failoverPriority: ["topology.kubernetes.io/region=us-east-1"] });

  test("is reached when every object is there with all endpoints and the policy's load balancing", () => {
    const objects: ClusterObjects = { cluster: "us-east-1b", serviceEntries: [serviceEntry("default.payments.global-se", twoEndpoints)], destinationRules: [failover] };
    expect(differences(objects, expected)).toEqual([]);
  });

  test("names what is missing, short or not yet as the policy says", () => {
    const topology = destinationRule("default.payments.global-dr", { enabled: true, failover: [{ from: "us-east-1", to: "eu-west-1" }] });
    const objects: ClusterObjects = { cluster: "us-east-1b", serviceEntries: [serviceEntry("default.payments.global-se", twoEndpoints.slice(1))], destinationRules: [topology] };
    expect(differences(objects, expected)).toEqual(["us-east-1b: ServiceEntry default.payments.global-se has 1 of 2 endpoints", "us-east-1b: DestinationRule default.payments.global-dr is Topology, not Failover yet"]);
    expect(differences({ cluster: "us-east-1b", serviceEntries: [], destinationRules: [] }, expected)).toEqual([
      "us-east-1b: ServiceEntry default.payments.global-se missing",
      "us-east-1b: DestinationRule default.payments.global-dr missing",
    ]);
  });
});

describe("the report", () => {
  test("says each kind of locality load balancing in words", () => {
    expect(localityText(destinationRule("a-dr", { enabled: true, failover: [{ from: "us-east-1", to: "eu-west-1" }] }))).toBe("Topology: local first, then us-east-1 → eu-west-1");
    expect(localityText(destinationRule("a-dr", { enabled: true }))).toBe("Topology: local first (no other region)");
    expect(localityText(destinationRule("a-dr", { enabled: true, failoverPriority: ["topology.kubernetes.io/region=us-east-1"] }))).toBe("Failover: prefer region us-east-1, else any");
    expect(localityText(destinationRule("a-dr", { enabled: true, distribute: [{ from: "*", to: { "us-east-1/*": 80, "eu-west-1/*": 20 } }] }))).toBe("Weighted: us-east-1/* 80%, eu-west-1/* 20%");
  });

  test("renders a cluster as a heading, one row per endpoint, one row per DestinationRule", () => {
    const objects: ClusterObjects = {
      cluster: "us-east-1b",
      serviceEntries: [serviceEntry("default.payments.global-se", [{ address: "192.0.2.30", locality: "eu-west-1/eu-west-1a", port: 15443 }])],
      destinationRules: [destinationRule("default.payments.global-dr", { enabled: true, failoverPriority: ["topology.kubernetes.io/region=us-east-1"] })],
    };
    const heading = { name: "us-east-1b", region: "us-east-1", zone: "us-east-1b", gateway: "192.0.2.20", home: false, runs: ["payments"] };
    expect(renderCluster(heading, objects).split("\n")).toEqual([
      "us-east-1b  (region us-east-1, zone us-east-1b, gateway 192.0.2.20; runs payments)",
      "    SERVICEENTRY                 HOST                      ENDPOINT           LOCALITY",
      "    default.payments.global-se   default.payments.global   192.0.2.30:15443   eu-west-1/eu-west-1a",
      "",
      "    DESTINATIONRULE              HOST                      TLS            LOCALITY LOAD BALANCING (from this cluster)",
      "    default.payments.global-dr   default.payments.global   ISTIO_MUTUAL   Failover: prefer region us-east-1, else any",
    ]);
  });

  test("renders the routes during a drill: one row per ServiceEntry with its endpoints and localities", () => {
    const objects: ClusterObjects = {
      cluster: "us-east-1a",
      serviceEntries: [serviceEntry("default.payments.global-se", [{ address: "192.0.2.20", locality: "us-east-1/us-east-1b", port: 15443 }]), serviceEntry("default.web.global-se", [])],
      destinationRules: [],
    };
    expect(renderRoutes([objects]).trimEnd().split("\n")).toEqual([
      "CLUSTER      SERVICEENTRY                 ENDPOINTS DURING THE DRILL",
      "us-east-1a   default.payments.global-se   192.0.2.20 (us-east-1/us-east-1b)",
      "us-east-1a   default.web.global-se        (none)",
    ]);
  });
});

describe("the sidecar lines", () => {
  const endpoint = (address: string, port: number, priority: number) => ({ address, port, priority, locality: { region: "", zone: "", subZone: "" }, localityWeight: 0, weight: 0 });
  const [east, , west] = SCENARIO.clusters;
  const sidecar = { cluster: { cluster: west }, caller: "checkout" } as unknown as DemoSidecar;
  const payments = { name: "outbound|80||default.payments.global", type: "STRICT_DNS", endpoints: [endpoint("payments.shop.svc.cluster.local", 80, 1), endpoint("192.0.2.20", 15443, 0)] };

  test("name each endpoint's cluster gateway or the local Service, by priority", () => {
    expect(renderSidecarLine(SCENARIO, sidecar, payments)).toBe(
      "eu-west-1a, checkout's sidecar → priority 0: us-east-1b's gateway 192.0.2.20:15443; priority 1: the local Service payments.shop.svc.cluster.local:80",
    );
    expect(renderSidecarLine(SCENARIO, sidecar, { ...payments, endpoints: [] })).toBe("eu-west-1a, checkout's sidecar → no endpoints");
  });

  test("during a drill of a region, a view is ready only without that region's gateways and, for a sidecar there, its local Service", () => {
    const ready = noneIn(SCENARIO, "eu-west-1");
    expect(ready(sidecar, payments)).toBe(false);
    expect(ready(sidecar, { ...payments, endpoints: [endpoint("192.0.2.20", 15443, 0)] })).toBe(true);
    const eastSidecar = { cluster: { cluster: east }, caller: "checkout" } as unknown as DemoSidecar;
    expect(ready(eastSidecar, { ...payments, endpoints: [endpoint("192.0.2.20", 15443, 0), endpoint("192.0.2.30", 15443, 1)] })).toBe(false);
    expect(allEndpoints(SCENARIO)(eastSidecar, { ...payments, endpoints: [endpoint("192.0.2.20", 15443, 0), endpoint("192.0.2.30", 15443, 1)] })).toBe(true);
  });
});
