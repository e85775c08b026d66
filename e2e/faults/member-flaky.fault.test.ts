// The connections between the controller and a member reset at random for 60 s, by Toxiproxy toxics
// on the only path the controller has to it: half the connections reset by the peer after 500 ms,
// half cut after 20 kB (watches and large lists break mid-stream). No route lost, the healthy member
// keeps converging, no hot loop, and every member equals the plan once the toxics are gone.
import { describe, expect, test } from "vitest";

import { runFaultCase } from "./support/fault-case.js";
import { toxiproxyOf, useWorld } from "./support/fault-world.js";
import { MEMBER_FAULT } from "./support/signals.js";

describe("a flaky connection to a member for 60 s", () => {
  const world = useWorld("flaky", { throughToxiproxy: true });

  test("no route lost, the healthy member converges meanwhile, recovered", async () => {
    const result = await runFaultCase(world(), {
      ...MEMBER_FAULT,
      case: "member-flaky",
      fault: "connections to a member reset at random (Toxiproxy reset_peer, limit_data) 60 s",
      inject: async (w) => {
        await toxiproxyOf(w).addToxic({ name: "reset", type: "reset_peer", stream: "upstream", toxicity: 0.5, attributes: { timeout: 500 } });
        await toxiproxyOf(w).addToxic({ name: "cut", type: "limit_data", stream: "downstream", toxicity: 0.5, attributes: { bytes: 20_000 } });
      },
      holdMs: 60_000,
      heal: (w) => toxiproxyOf(w).clear(),
    });
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
