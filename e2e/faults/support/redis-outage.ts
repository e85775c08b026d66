// Redis away for 60 s, then back empty (killed, no snapshot: queues, leases and write state gone) or
// with its data (SHUTDOWN SAVE, loaded again): the controller keeps running with the same PID,
// /readyz answers false while Redis is away and true after, a change made meanwhile is applied once
// Redis is back, and every member equals the plan, without a restart. One describe for both files.
import { describe, expect, test } from "vitest";

import { waitUntil } from "../../harness/wait-until.js";
import { isReady } from "../../support/controller-process.js";
import { runFaultCase } from "./fault-case.js";
import { useWorld } from "./fault-world.js";
import { notReady } from "./signals.js";

export function describeRedisOutage({ keepData }: { keepData: boolean }): void {
  const name = keepData ? "redis-data" : "redis-empty";
  describe(`Redis stopped for 60 s and started again ${keepData ? "with its data" : "empty"}`, () => {
    const world = useWorld(name);

    test("/readyz false while away and true after, no route lost, work resumes without a restart", async () => {
      const [controller] = world().controllers;
      if (controller === undefined) throw new Error("no controller");
      const result = await runFaultCase(world(), {
        case: name,
        fault: keepData ? "Redis stopped 60 s, restarted with its data" : "Redis killed 60 s, restarted empty",
        detectedBy: "/readyz",
        detected: () => notReady(controller),
        inject: (w) => w.redis.stop({ keepData }),
        holdMs: 60_000,
        heal: async (w) => {
          await w.redis.start();
          if (keepData) expect(await w.redis.keyCount()).toBeGreaterThan(0);
          else expect(await w.redis.keyCount()).toBe(0);
        },
        during: async (w) => {
          await w.changeInA(1);
          return "a change made while Redis was away was applied after it came back";
        },
      });
      expect(result.detectedMs).toBeDefined();
      await waitUntil(async () => isReady(await controller.port()), { what: "/readyz 200 after Redis is back", timeoutMs: 60_000 });
      expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
    });
  });
}
