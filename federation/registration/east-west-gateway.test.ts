import { describe, expect, it } from "vitest";

import { eastWestGatewayCondition, findEastWestGateway, hostCovers } from "./east-west-gateway.js";
import type { GatewayObject } from "./east-west-gateway.js";

const wanted = { suffix: "global", port: 15443 };

function gateway(name: string, server: { port?: number; mode?: string; hosts?: string[] }): GatewayObject {
  return { metadata: { name, namespace: "istio-system" }, spec: { servers: [{ port: { number: server.port ?? 15443 }, tls: { mode: server.mode ?? "AUTO_PASSTHROUGH" }, hosts: server.hosts ?? ["*.global"] }] } };
}

describe("the east-west gateway check", () => {
  it("accepts hosts that cover every global host, with or without a namespace", () => {
    expect(["*", "*.global", "*/*.global", "./*.global", "istio-system/*"].map((h) => hostCovers(h, "global"))).toEqual([true, true, true, true, true]);
    expect(["*.local", "prod.payments.global", "*.prod.global", "global"].map((h) => hostCovers(h, "global"))).toEqual([false, false, false, false]);
  });

  it("finds the first passthrough Gateway by namespace/name", () => {
    expect(findEastWestGateway([gateway("z-gw", {}), gateway("a-gw", {})], wanted)).toEqual({ found: true, gateway: "istio-system/a-gw" });
  });

  it("ignores a Gateway on another port, in another TLS mode, or for other hosts", () => {
    const wrong = [gateway("port", { port: 443 }), gateway("mode", { mode: "PASSTHROUGH" }), gateway("hosts", { hosts: ["*.local"] })];
    expect(findEastWestGateway(wrong, wanted)).toEqual({ found: false, reason: "GatewayMissing", detail: "none of its 3 Gateways has one" });
    expect(findEastWestGateway([], wanted)).toEqual({ found: false, reason: "GatewayMissing", detail: "the cluster has no Gateway" });
  });

  it("follows the host suffix and the gateway port of the registration", () => {
    expect(findEastWestGateway([gateway("gw", { port: 16443, hosts: ["*.mesh.example.com"] })], { suffix: "mesh.example.com", port: 16443 }).found).toBe(true);
  });

  it("says what was found, and what to apply when nothing was", () => {
    expect(eastWestGatewayCondition({ found: true, gateway: "istio-system/gw" }, wanted)).toMatchObject({ type: "EastWestGateway", status: "True", reason: "PassthroughConfigured" });
    const missing = eastWestGatewayCondition({ found: false, reason: "GatewayMissing", detail: "the cluster has no Gateway" }, wanted);
    expect(missing).toMatchObject({ status: "False", reason: "GatewayMissing" });
    expect(missing.message).toContain('tls.mode AUTO_PASSTHROUGH for hosts "*.global"');
    expect(missing.message).toContain("run `meridian cluster register` again");
    expect(eastWestGatewayCondition({ found: false, reason: "GatewayCrdMissing", detail: "x" }, wanted).message).toContain("Istio's Gateway kind (networking.istio.io/v1) is not served");
    expect(eastWestGatewayCondition({ found: false, reason: "NotChecked", detail: "listing failed: 403" }, wanted)).toMatchObject({ status: "Unknown", message: "Not checked: listing failed: 403." });
  });
});
