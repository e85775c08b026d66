// A member's API server stopped for 60 s (etcd and its data stay), then started again on the same
// port: the MeshCluster shows it, the other member keeps every route to it and keeps converging, and
// once it is back every member equals the plan.
import { describe, expect, test } from "vitest";

import { runFaultCase } from "./support/fault-case.js";
import { useWorld } from "./support/fault-world.js";
import { MEMBER_FAULT } from "./support/signals.js";

describe("a member's API server stopped for 60 s", () => {
  const world = useWorld("stop");

  test("detected, no route lost, the healthy member converges meanwhile, recovered", async () => {
    const result = await runFaultCase(world(), {
      ...MEMBER_FAULT,
      case: "member-stopped",
      fault: "member API server stopped 60 s",
      inject: (w) => w.planes.b.stopApiServer(),
      holdMs: 60_000,
      heal: (w) => w.planes.b.restartApiServer(),
      readableDuringFault: (w) => [w.a],
    });
    expect(result.detectedMs).toBeDefined();
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
