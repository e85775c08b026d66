// A member's API server frozen (SIGSTOP) for 60 s, then thawed (SIGCONT): connections stay open and
// nothing answers, the hardest outage to notice. The MeshCluster must show it, the other member keep
// every route to it and keep converging, and once it thaws every member equals the plan.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { runFaultCase } from "./support/fault-case.js";
import { apiServerPid, printWorldLogs, startWorld, type FaultWorld } from "./support/fault-world.js";
import { changeInHealthyMember, shownUnavailable } from "./support/signals.js";

describe("a member's API server frozen for 60 s", () => {
  let world: FaultWorld;
  beforeAll(async () => void (world = await startWorld("frozen")));
  afterAll(async () => {
    if (world !== undefined) process.kill(apiServerPid(world.planes.b), "SIGCONT");
    await world?.stop();
  });
  beforeEach(({ onTestFailed }) => onTestFailed(() => printWorldLogs(world)));

  test("detected, no route lost, the healthy member converges meanwhile, recovered", async () => {
    const result = await runFaultCase(world, {
      case: "member-frozen",
      fault: "member API server frozen (SIGSTOP) 60 s",
      detectedBy: "MeshCluster",
      detected: (w) => shownUnavailable(w, w.b),
      inject: async (w) => void process.kill(apiServerPid(w.planes.b), "SIGSTOP"),
      holdMs: 60_000,
      heal: async (w) => void process.kill(apiServerPid(w.planes.b), "SIGCONT"),
      readableDuringFault: (w) => [w.a],
      during: (w) => changeInHealthyMember(w, 1, 40_000),
    });
    expect(result.detectedMs).toBeDefined();
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
