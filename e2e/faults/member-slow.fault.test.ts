// Every response of a member's API server delayed 2 s for 60 s, by a Toxiproxy latency toxic on the
// only path the controller has to it: no route lost, the healthy member keeps converging, no hot
// loop, and every member equals the plan once the latency is gone. Whether the MeshCluster shows a
// slow member depends on its probe's timeout; the row says what happened.
import { describe, expect, test } from "vitest";

import { runFaultCase } from "./support/fault-case.js";
import { toxiproxyOf, useWorld } from "./support/fault-world.js";
import { MEMBER_FAULT } from "./support/signals.js";

describe("a member's API server slow (2 s per response) for 60 s", () => {
  const world = useWorld("slow", { throughToxiproxy: true });

  test("no route lost, the healthy member converges meanwhile, recovered", async () => {
    const result = await runFaultCase(world(), {
      ...MEMBER_FAULT,
      case: "member-slow",
      fault: "member API responses delayed 2 s (Toxiproxy latency) 60 s",
      inject: (w) => toxiproxyOf(w).addToxic({ name: "slow", type: "latency", stream: "downstream", attributes: { latency: 2_000, jitter: 0 } }),
      holdMs: 60_000,
      heal: (w) => toxiproxyOf(w).clear(),
    });
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
