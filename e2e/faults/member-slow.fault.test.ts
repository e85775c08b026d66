// Every response of a member's API server delayed 2 s for 60 s, by a Toxiproxy latency toxic on the
// only path the controller has to it: no route lost, the healthy member keeps converging, no hot
// loop, and every member equals the plan once the latency is gone. Whether the MeshCluster shows a
// slow member depends on its probe's timeout; the row says what happened.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { runFaultCase } from "./support/fault-case.js";
import { printWorldLogs, startWorld, toxiproxyOf, type FaultWorld } from "./support/fault-world.js";
import { changeInHealthyMember, shownUnavailable } from "./support/signals.js";

describe("a member's API server slow (2 s per response) for 60 s", () => {
  let world: FaultWorld;
  beforeAll(async () => void (world = await startWorld("slow", { throughToxiproxy: true })));
  afterAll(async () => world?.stop());
  beforeEach(({ onTestFailed }) => onTestFailed(() => printWorldLogs(world)));

  test("no route lost, the healthy member converges meanwhile, recovered", async () => {
    const result = await runFaultCase(world, {
      case: "member-slow",
      fault: "member API responses delayed 2 s (Toxiproxy latency) 60 s",
      detectedBy: "MeshCluster",
      detected: (w) => shownUnavailable(w, w.b),
      inject: (w) => toxiproxyOf(w).addToxic({ name: "slow", type: "latency", stream: "downstream", attributes: { latency: 2_000, jitter: 0 } }),
      holdMs: 60_000,
      heal: (w) => toxiproxyOf(w).clear(),
      during: (w) => changeInHealthyMember(w, 1, 40_000),
    });
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
