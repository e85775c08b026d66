// A member's API server stopped for 60 s (etcd and its data stay), then started again on the same
// port: the MeshCluster shows it, the other member keeps every route to it and keeps converging, and
// once it is back every member equals the plan.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { runFaultCase } from "./support/fault-case.js";
import { printWorldLogs, startWorld, type FaultWorld } from "./support/fault-world.js";
import { changeInHealthyMember, shownUnavailable } from "./support/signals.js";

describe("a member's API server stopped for 60 s", () => {
  let world: FaultWorld;
  beforeAll(async () => void (world = await startWorld("stop")));
  afterAll(async () => world?.stop());
  beforeEach(({ onTestFailed }) => onTestFailed(() => printWorldLogs(world)));

  test("detected, no route lost, the healthy member converges meanwhile, recovered", async () => {
    const result = await runFaultCase(world, {
      case: "member-stopped",
      fault: "member API server stopped 60 s",
      detectedBy: "MeshCluster",
      detected: (w) => shownUnavailable(w, w.b),
      inject: (w) => w.planes.b.stopApiServer(),
      holdMs: 60_000,
      heal: (w) => w.planes.b.restartApiServer(),
      readableDuringFault: (w) => [w.a],
      during: (w) => changeInHealthyMember(w, 1, 40_000),
    });
    expect(result.detectedMs).toBeDefined();
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
