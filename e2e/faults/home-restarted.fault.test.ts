// The home cluster's API server (it is also member a) stopped for 30 s and started again with the
// same data: the controller keeps running with the same PID, member b keeps every route, and every
// member equals the plan once the home is back. The home cannot be read meanwhile, so the signal is
// the controller's own metric for a (`meridian_cluster_up`).
import { describe, expect, test } from "vitest";

import { metricSum } from "../support/controller-process.js";
import { runFaultCase } from "./support/fault-case.js";
import { useWorld } from "./support/fault-world.js";

describe("the home API server restarted (30 s down)", () => {
  const world = useWorld("home");

  test("no route lost, the controller keeps running, recovered", async () => {
    const [controller] = world().controllers;
    if (controller === undefined) throw new Error("no controller");
    const result = await runFaultCase(world(), {
      case: "home-restarted",
      fault: "home API server stopped 30 s, restarted",
      detectedBy: "meridian_cluster_up",
      detected: async (w) => (await metricSum(await controller.port(), "meridian_cluster_up", `cluster="${w.a.cluster}"`)) === 0,
      inject: (w) => w.planes.a.stopApiServer(),
      holdMs: 30_000,
      heal: (w) => w.planes.a.restartApiServer(),
      readableDuringFault: (w) => [w.b],
    });
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
