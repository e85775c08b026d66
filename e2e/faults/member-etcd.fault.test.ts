// A member's etcd stopped for 30 s and started again on the same ports with its data, under a running
// kube-apiserver (which answers errors meanwhile): no route lost anywhere, the healthy member keeps
// converging, and every member equals the plan once etcd is back.
import { describe, expect, test } from "vitest";

import { runFaultCase } from "./support/fault-case.js";
import { useWorld } from "./support/fault-world.js";
import { MEMBER_FAULT } from "./support/signals.js";

describe("a member's etcd restarted (30 s down)", () => {
  let restarted: Promise<void> | undefined;
  const world = useWorld("etcd", {}, async () => restarted);

  test("no route lost, the healthy member converges meanwhile, recovered", async () => {
    const result = await runFaultCase(world(), {
      ...MEMBER_FAULT,
      case: "member-etcd-restarted",
      fault: "member's etcd stopped 30 s, restarted with its data",
      inject: async (w) => void (restarted = w.planes.b.restartEtcd(30_000)),
      holdMs: 30_000,
      heal: async () => restarted,
    });
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
