// Istio's checks on what Meridian writes, at both of Istio's doors:
// - its CRDs (OpenAPI schema + CEL, istio.io/api pinned in e2e/go/istio-crds), by server-side dry run;
// - its own validation, the code istiod's validating webhook runs (istio.io/istio pinned in
//   e2e/go/istio-validate), which checks far more than the CRDs do.
// The objects that must pass are the planner's golden expected objects, not hand-written ones;
// objects the controller writes live are checked in policy-modes.e2e.test.ts.
import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, test } from "vitest";
import { errorTextOf, firstControlPlane, statusOf } from "./support/clusters.js";
import { goldenExpectedObjects } from "./support/golden-objects.js";
import { explainedIstioWarning, validateWithIstio } from "./support/istio-validate.js";

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

/**
 * What Istio's CRDs do NOT check at this version, with what Istio's own validation says of it
 * (undefined: it accepts it too). Meridian must not write either.
 */
const acceptedByCrd: [string, KubernetesObject, string | undefined][] = [
  ["endpoint port name not among the ServiceEntry's ports", serviceEntry("undeclared-port", { ...validServiceEntry, endpoints: [{ ...endpoint, ports: { grpc: 15443 } }] }), "endpoint port 15443 is not defined by the service entry"],
  // Istio never parses an endpoint's locality string; Meridian's planner builds it from validated parts.
  ["malformed locality", serviceEntry("bad-locality", { ...validServiceEntry, endpoints: [{ ...endpoint, locality: "us east//1a/x/y" }] }), undefined],
];

const golden = goldenExpectedObjects();

describe("Istio's own validation (istiod's webhook code)", () => {
  test("finds no error in any golden expected object, and only explained warnings", async () => {
    expect(golden.length).toBeGreaterThan(100);
    const verdicts = await validateWithIstio(golden.map(({ object }) => object));
    const where = (i: number): string => `${golden[i]?.file ?? "?"} ${verdicts[i]?.kind ?? "?"} ${verdicts[i]?.name ?? "?"}`;
    const errors = verdicts.flatMap((verdict, i) => verdict.errors.map((error) => `${where(i)}: ${error}`));
    const warnings = verdicts.flatMap((verdict, i) => verdict.warnings.map((warning) => `${where(i)}: ${warning}`));
    if (warnings.length > 0) console.warn(`Istio's validation warned ${warnings.length} times:\n${warnings.join("\n")}`);
    expect(errors).toEqual([]);
    expect(warnings.filter((warning) => explainedIstioWarning(warning) === undefined)).toEqual([]);
  });

  test.each(acceptedByCrd)("judges %s, which the CRDs accept", async (_case, object, message) => {
    const [verdict] = await validateWithIstio([object]);
    if (message === undefined) expect(verdict?.errors).toEqual([]);
    else expect(verdict?.errors.join("\n")).toContain(message);
  });
});

describe("Istio CRD validation", () => {
  const { objects } = firstControlPlane();

  test("accepts every golden expected object", async () => {
    for (const { file, object } of golden) {
      await objects.create(object as KubernetesObject, undefined, DRY_RUN).catch((err: unknown) => {
        throw new Error(`${file} ${object.kind} ${object.metadata.name}: ${String(err)}`, { cause: err });
      });
    }
  });

  test.each(invalid)("rejects %s", async (_case, object, message) => {
    expect(await errorTextOf(objects.create(object, undefined, DRY_RUN))).toContain(message);
  });

  test.each(acceptedByCrd)("does not itself reject %s", async (_case, object) => {
    expect(await statusOf(objects.create(object, undefined, DRY_RUN))).toBeUndefined();
  });
});
