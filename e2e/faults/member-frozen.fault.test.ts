// A member's API server frozen (SIGSTOP) for 60 s, then thawed (SIGCONT): connections stay open and
// nothing answers, the hardest outage to notice. The MeshCluster must show it, the other member keep
// every route to it and keep converging, and once it thaws every member equals the plan.
import { describe, expect, test } from "vitest";

import { runFaultCase } from "./support/fault-case.js";
import { apiServerPid, useWorld } from "./support/fault-world.js";
import { MEMBER_FAULT } from "./support/signals.js";

describe("a member's API server frozen for 60 s", () => {
  const world = useWorld("frozen", {}, async (w) => void process.kill(apiServerPid(w.planes.b), "SIGCONT"));

  test("detected, no route lost, the healthy member converges meanwhile, recovered", async () => {
    const result = await runFaultCase(world(), {
      ...MEMBER_FAULT,
      case: "member-frozen",
      fault: "member API server frozen (SIGSTOP) 60 s",
      inject: async (w) => void process.kill(apiServerPid(w.planes.b), "SIGSTOP"),
      holdMs: 60_000,
      heal: async (w) => void process.kill(apiServerPid(w.planes.b), "SIGCONT"),
      readableDuringFault: (w) => [w.a],
    });
    expect(result.detectedMs).toBeDefined();
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
