// planDrill: the routes a drill changes, and the preflight verdict with its reasons.
import { describe, expect, it } from "vitest";

import type { Dependency, Drill, PlanInput, Workload } from "./model.js";
import { clusterName } from "./model.js";
import { planDrill } from "./drill-plan.js";

const options = { hostSuffix: "global", syncNamespace: "meridian-sync", exportToLimit: 8 };
const cluster = (name: string, region: string, address: string) => ({ name: clusterName(name), region, zone: "a", network: "", gateway: { address, port: 15443 } });
const clusters = [cluster("east-a", "us-east", "192.0.2.1"), cluster("east-b", "us-east", "192.0.2.2"), cluster("west-a", "eu-west", "192.0.2.3")];
const workload = (identity: string, where: string): Workload => ({
  identity,
  env: "default",
  cluster: clusterName(where),
  namespace: "shop",
  service: identity,
  ports: [{ name: "http", port: 80 }],
  readyByZone: { "": 1 },
});
const dependency: Dependency = { ref: { kind: "ServiceDependency", namespace: "shop", name: "checkout" }, source: { identity: "checkout" }, destinations: [{ identity: "payments" }, { identity: "inventory" }] };
const drill = (name: string, target: Drill["target"], identities?: string[]): Drill => ({ ref: { kind: "FailoverDrill", namespace: "shop", name }, target, ...(identities === undefined ? {} : { identities }) });
const input = (drills: Drill[] = []): PlanInput => ({
  clusters,
  workloads: [workload("payments", "east-a"), workload("payments", "west-a"), workload("inventory", "west-a"), workload("checkout", "east-b")],
  dependencies: [dependency],
  policies: [],
  drills,
  options,
});

describe("planDrill", () => {
  it("refuses a drill that would black-hole an identity, naming it", () => {
    const result = planDrill(input(), drill("west", { region: "eu-west" }));
    expect(result.verdict).toBe("Refused");
    expect(result.reasons.join("\n")).toMatch(/identity inventory \(env default\) with no endpoints/);
  });

  it("shows, per cluster, the endpoints a ready drill takes away", () => {
    const result = planDrill(input(), drill("west", { region: "eu-west" }, ["payments"]));
    expect(result.verdict).toBe("Ready");
    expect(result.affectedIdentities).toEqual(["payments"]);
    const inCaller = result.routes.find((r) => r.cluster === "east-b");
    expect(inCaller?.now).toEqual(["192.0.2.1 us-east/a", "192.0.2.3 eu-west/a"]);
    expect(inCaller?.during).toEqual(["192.0.2.1 us-east/a"]);
    expect(result.routes.every((r) => r.identity === "payments")).toBe(true);
  });

  it("refuses an unknown region", () => {
    const result = planDrill(input(), drill("nowhere", { region: "ap-south" }));
    expect(result.verdict).toBe("Refused");
    expect(result.reasons.join("\n")).toContain("region ap-south");
    expect(result.routes).toEqual([]);
  });

  it("refuses a drill that overlaps one already running", () => {
    const running = drill("running", { region: "eu-west" }, ["payments"]);
    const result = planDrill(input([running]), drill("cluster", { cluster: clusterName("west-a") }, ["payments", "checkout"]));
    expect(result.verdict).toBe("Refused");
    expect(result.reasons.join("\n")).toContain("overlaps FailoverDrill shop/running");
    expect(planDrill(input([running]), drill("other", { cluster: clusterName("east-a") }, ["checkout"])).verdict).toBe("Ready");
  });

  it("refuses a drill naming an identity that runs nowhere, saying so", () => {
    const result = planDrill(input(), drill("typo", { region: "eu-west" }, ["payments", "nosuch"]));
    expect(result.verdict).toBe("Refused");
    expect(result.reasons).toEqual(["identity nosuch runs in no registered cluster (no Service carries it); the drill would change nothing for it"]);
  });

  it("words its reasons without the drill's own reference", () => {
    const result = planDrill(input(), drill("west", { region: "eu-west" }));
    expect(result.reasons.length).toBeGreaterThan(0);
    expect(result.reasons.every((reason) => !reason.includes("FailoverDrill shop/west"))).toBe(true);
    expect(result.reasons[0]).toMatch(/^evacuating region eu-west would leave identity inventory/);
  });
});
