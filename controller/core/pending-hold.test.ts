import { describe, expect, test } from "vitest";

import type { DestinationRule, ServiceEntry, ServiceEntryEndpoint, ServiceEntryPort } from "../../crds/istio.js";
import type { LiveObject } from "./diff.js";
import { diffHoldingPending } from "./pending-hold.js";

const labels = { "app.kubernetes.io/managed-by": "meridian", "meridian.dev/identity": "payments", "meridian.dev/env": "prod" };
const SE = "prod.payments.global-se";
const DR = "prod.payments.global-dr";

function endpoint(cluster: string, address: string, port = "http"): ServiceEntryEndpoint {
  return { address, ports: { [port]: 15443 }, labels: { "topology.istio.io/cluster": cluster }, locality: "us-east/a" };
}

function serviceEntry(endpoints: ServiceEntryEndpoint[], ports: ServiceEntryPort[] = [{ number: 80, protocol: "HTTP", name: "http" }]): ServiceEntry {
  return { apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name: SE, namespace: "meridian-sync", labels }, spec: { hosts: ["prod.payments.global"], ports, location: "MESH_INTERNAL", resolution: "DNS", endpoints } };
}

const rule: DestinationRule = { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: DR, namespace: "meridian-sync", labels }, spec: { host: "prod.payments.global" } } as unknown as DestinationRule;
const live = (object: ServiceEntry | DestinationRule): LiveObject => ({ kind: object.kind, metadata: { name: object.metadata.name, labels: object.metadata.labels }, spec: object.spec });

describe("diffHoldingPending", () => {
  const both = serviceEntry([endpoint("east", "192.0.2.1"), endpoint("west", "192.0.2.2")]);

  test("with no pending cluster it is the plain diff", () => {
    expect(diffHoldingPending([], [live(both), live(rule)], new Set())).toEqual({ apply: [], remove: [{ kind: "ServiceEntry", name: SE }, { kind: "DestinationRule", name: DR }].sort((a, b) => (a.kind < b.kind ? -1 : 1)), conflicts: [], unchanged: 0, held: [] });
  });

  test("a pending cluster's live endpoint that the plan lacks is kept; other endpoints follow the plan", () => {
    const planned = serviceEntry([endpoint("east", "192.0.2.9")]);
    const diff = diffHoldingPending([planned, rule], [live(both), live(rule)], new Set(["west"]));
    expect(diff.apply).toEqual([serviceEntry([endpoint("east", "192.0.2.9"), endpoint("west", "192.0.2.2")])]);
    expect(diff.remove).toEqual([]);
    expect(diff.held).toEqual([{ kind: "ServiceEntry", name: SE }]);
  });

  test("the DestinationRule of a host with a kept endpoint stays as it is live (its failover may name the pending cluster's region)", () => {
    const planned = serviceEntry([endpoint("east", "192.0.2.9")]);
    const changedRule = { ...rule, spec: { host: "prod.payments.global", trafficPolicy: {} } } as unknown as DestinationRule;
    const diff = diffHoldingPending([planned, changedRule], [live(both), live(rule)], new Set(["west"]));
    expect(diff.apply.map((object) => object.kind)).toEqual(["ServiceEntry"]);
    expect(diff.held).toEqual([{ kind: "DestinationRule", name: DR }, { kind: "ServiceEntry", name: SE }]);
    expect(diffHoldingPending([planned, changedRule], [live(both)], new Set(["west"])).apply.map((object) => object.kind)).toEqual(["ServiceEntry", "DestinationRule"]);
  });

  test("nothing is held when the plan already has an endpoint of the pending cluster", () => {
    const diff = diffHoldingPending([both, rule], [live(both), live(rule)], new Set(["west"]));
    expect(diff).toEqual({ apply: [], remove: [], conflicts: [], unchanged: 2, held: [] });
  });

  test("a host served by a pending cluster is not deleted, with its DestinationRule; one served elsewhere is", () => {
    const onlyEast = serviceEntry([endpoint("east", "192.0.2.1")]);
    expect(diffHoldingPending([], [live(both), live(rule)], new Set(["west"]))).toMatchObject({ remove: [], held: [{ kind: "DestinationRule", name: DR }, { kind: "ServiceEntry", name: SE }] });
    expect(diffHoldingPending([], [live(onlyEast), live(rule)], new Set(["west"])).remove).toHaveLength(2);
  });

  test("a kept endpoint brings the live port it names when the plan lacks it", () => {
    const grpc: ServiceEntryPort = { number: 9090, protocol: "GRPC", name: "grpc" };
    const liveEntry = serviceEntry([endpoint("west", "192.0.2.2", "grpc")], [grpc]);
    const diff = diffHoldingPending([serviceEntry([endpoint("east", "192.0.2.1")])], [live(liveEntry)], new Set(["west"]));
    expect((diff.apply[0] as ServiceEntry).spec.ports).toEqual([{ number: 80, protocol: "HTTP", name: "http" }, grpc]);
  });
});
