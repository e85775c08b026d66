// The connections between the controller and a member reset at random for 60 s, by Toxiproxy toxics
// on the only path the controller has to it: half the connections reset by the peer after 500 ms,
// half cut after 20 kB (watches and large lists break mid-stream). No route lost, the healthy member
// keeps converging, no hot loop, and every member equals the plan once the toxics are gone.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { runFaultCase } from "./support/fault-case.js";
import { printWorldLogs, startWorld, toxiproxyOf, type FaultWorld } from "./support/fault-world.js";
import { changeInHealthyMember, shownUnavailable } from "./support/signals.js";

describe("a flaky connection to a member for 60 s", () => {
  let world: FaultWorld;
  beforeAll(async () => void (world = await startWorld("flaky", { throughToxiproxy: true })));
  afterAll(async () => world?.stop());
  beforeEach(({ onTestFailed }) => onTestFailed(() => printWorldLogs(world)));

  test("no route lost, the healthy member converges meanwhile, recovered", async () => {
    const result = await runFaultCase(world, {
      case: "member-flaky",
      fault: "connections to a member reset at random (Toxiproxy reset_peer, limit_data) 60 s",
      detectedBy: "MeshCluster",
      detected: (w) => shownUnavailable(w, w.b),
      inject: async (w) => {
        await toxiproxyOf(w).addToxic({ name: "reset", type: "reset_peer", stream: "upstream", toxicity: 0.5, attributes: { timeout: 500 } });
        await toxiproxyOf(w).addToxic({ name: "cut", type: "limit_data", stream: "downstream", toxicity: 0.5, attributes: { bytes: 20_000 } });
      },
      holdMs: 60_000,
      heal: (w) => toxiproxyOf(w).clear(),
      during: (w) => changeInHealthyMember(w, 1, 40_000),
    });
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
