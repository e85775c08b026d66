// Istio's own CRD validation (OpenAPI schema + CEL, istio.io/api pinned in e2e/go/istio-crds)
// accepts what Meridian writes and rejects what it must never write. Server-side dry run only.
import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, test } from "vitest";
import { errorTextOf, firstControlPlane } from "./support/clusters.js";

const NAMESPACE = "meridian-sync";
const DRY_RUN = "All";

function serviceEntry(name: string, spec: Record<string, unknown>): KubernetesObject {
  return { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name, namespace: NAMESPACE }, spec } as KubernetesObject;
}

function destinationRule(name: string, spec: Record<string, unknown>): KubernetesObject {
  return { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name, namespace: NAMESPACE }, spec } as KubernetesObject;
}

const endpoint = { address: "gw.us-east.example.com", ports: { http: 15443 }, labels: { "security.istio.io/tlsMode": "istio" }, network: "us-east", locality: "us-east-1/us-east-1a" };

const validServiceEntry = {
  hosts: ["prod.payments.global"],
  ports: [{ number: 80, protocol: "HTTP", name: "http" }],
  location: "MESH_INTERNAL",
  resolution: "DNS",
  endpoints: [endpoint, { ...endpoint, address: "gw.eu-west.example.com", network: "eu-west", locality: "eu-west-1/eu-west-1b" }],
};

const validDestinationRule = {
  host: "prod.payments.global",
  trafficPolicy: {
    tls: { mode: "ISTIO_MUTUAL" },
    loadBalancer: { simple: "LEAST_REQUEST", localityLbSetting: { enabled: true, failover: [{ from: "us-east-1", to: "eu-west-1" }] } },
    outlierDetection: { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 100 },
  },
};

/** [case, object, substring of the API server's error] */
const invalid: [string, KubernetesObject, string][] = [
  ["wildcard host", serviceEntry("wildcard", { ...validServiceEntry, hosts: ["*"] }), "hostname cannot be wildcard"],
  ["no hosts", serviceEntry("no-hosts", { ...validServiceEntry, hosts: undefined }), "spec.hosts: Required value"],
  ["endpoint port out of range", serviceEntry("port-zero", { ...validServiceEntry, endpoints: [{ ...endpoint, ports: { http: 0 } }] }), "port must be between 1-65535"],
  ["endpoint port name malformed", serviceEntry("bad-port-name", { ...validServiceEntry, endpoints: [{ ...endpoint, ports: { "http_x": 15443 } }] }), "port name must be valid"],
  ["duplicate port numbers", serviceEntry("dup-ports", { ...validServiceEntry, ports: [{ number: 80, name: "http" }, { number: 80, name: "http2" }] }), "port number cannot be duplicated"],
  ["endpoints with resolution NONE", serviceEntry("none-endpoints", { ...validServiceEntry, resolution: "NONE" }), "NONE mode cannot set endpoints"],
  ["unknown resolution", serviceEntry("bad-resolution", { ...validServiceEntry, resolution: "ROUND_ROBIN" }), 'Unsupported value: "ROUND_ROBIN"'],
  ["locality over 2048 characters", serviceEntry("long-locality", { ...validServiceEntry, endpoints: [{ ...endpoint, locality: "r".repeat(2049) }] }), "spec.endpoints[0].locality: Too long"],
  ["destination rule without host", destinationRule("no-host", { trafficPolicy: validDestinationRule.trafficPolicy }), "spec.host: Required value"],
  ["outlier interval of zero", destinationRule("zero-interval", { host: "x.global", trafficPolicy: { outlierDetection: { interval: "0s" } } }), "must be a valid duration greater than 1ms"],
  ["both simple and consistentHash", destinationRule("two-lb", { host: "x.global", trafficPolicy: { loadBalancer: { simple: "RANDOM", consistentHash: { useSourceIp: true } } } }), "oneOf"],
];

/** What Istio's CRDs do NOT check at this version (istiod's webhook does): Meridian must check these itself. */
const acceptedByCrd: [string, KubernetesObject][] = [
  ["endpoint port name not among the ServiceEntry's ports", serviceEntry("undeclared-port", { ...validServiceEntry, endpoints: [{ ...endpoint, ports: { grpc: 15443 } }] })],
  ["malformed locality", serviceEntry("bad-locality", { ...validServiceEntry, endpoints: [{ ...endpoint, locality: "us east//1a/x/y" }] })],
];

describe("Istio CRD validation", () => {
  const { objects } = firstControlPlane();

  test("accepts a ServiceEntry and a DestinationRule like the ones Meridian writes", async () => {
    await objects.create(serviceEntry("valid", validServiceEntry), undefined, DRY_RUN);
    await objects.create(destinationRule("valid", validDestinationRule), undefined, DRY_RUN);
  });

  test.each(invalid)("rejects %s", async (_case, object, message) => {
    expect(await errorTextOf(objects.create(object, undefined, DRY_RUN))).toContain(message);
  });

  test.each(acceptedByCrd)("does not itself reject %s", async (_case, object) => {
    await objects.create(object, undefined, DRY_RUN);
  });
});
