// A member's etcd stopped for 30 s and started again on the same ports with its data, under a running
// kube-apiserver (which answers errors meanwhile): no route lost anywhere, the healthy member keeps
// converging, and every member equals the plan once etcd is back.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { runFaultCase } from "./support/fault-case.js";
import { printWorldLogs, startWorld, type FaultWorld } from "./support/fault-world.js";
import { changeInHealthyMember, shownUnavailable } from "./support/signals.js";

describe("a member's etcd restarted (30 s down)", () => {
  let world: FaultWorld;
  let restarted: Promise<void> | undefined;
  beforeAll(async () => void (world = await startWorld("etcd")));
  afterAll(async () => {
    await restarted?.catch(() => undefined);
    await world?.stop();
  });
  beforeEach(({ onTestFailed }) => onTestFailed(() => printWorldLogs(world)));

  test("no route lost, the healthy member converges meanwhile, recovered", async () => {
    const result = await runFaultCase(world, {
      case: "member-etcd-restarted",
      fault: "member's etcd stopped 30 s, restarted with its data",
      detectedBy: "MeshCluster",
      detected: (w) => shownUnavailable(w, w.b),
      inject: async (w) => void (restarted = w.planes.b.restartEtcd(30_000)),
      holdMs: 30_000,
      heal: async () => restarted,
      during: (w) => changeInHealthyMember(w, 1, 20_000),
    });
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
