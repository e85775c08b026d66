// Home objects that the CRDs accept but that cannot work (support/wrong-home-objects.ts), generated
// with fast-check and kept for 60 s: the controller neither crashes nor hot-loops, each object's
// status says what is wrong with it, no route is lost, and once they are deleted every member equals
// the plan again. The seed is in the result's notes, to generate the same objects again.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, test } from "vitest";

import { runFaultCase } from "./support/fault-case.js";
import { useWorld } from "./support/fault-world.js";
import { createAll, deleteAll, unreported, wrongHomeObjects, type Created } from "./support/wrong-home-objects.js";

const PER_KIND = 8;

describe("semantically wrong home objects for 60 s", () => {
  let created: Created[] = [];
  let rejected = 0;
  const seed = Date.now() % 1_000_000;
  const world = useWorld("wrong");

  test("each reported in its status, no crash, no route lost, recovered once deleted", async () => {
    const result = await runFaultCase(world(), {
      case: "wrong-home-objects",
      fault: `${PER_KIND * 3 + 5} generated home objects the CRDs accept but that cannot work, 60 s`,
      detectedBy: "every object's status",
      detected: async (w) => (await unreported(w, created)).length === 0,
      inject: async (w) => void ({ created, rejected } = await createAll(w, wrongHomeObjects(w, seed, PER_KIND))),
      holdMs: 60_000,
      during: async (w) => {
        let missing = await unreported(w, created);
        for (let waited = 0; missing.length > 0 && waited < 40_000; waited += 1_000) {
          await sleep(1_000);
          missing = await unreported(w, created);
        }
        if (missing.length > 0) throw new Error(`Not reported in their status: ${missing.map((m) => `${m.plural}/${m.name}`).join(", ")}`);
        return `fast-check seed ${seed}: ${created.length} objects accepted by the API server (${rejected} rejected), each reported in its status`;
      },
      heal: (w) => deleteAll(w, created),
    });
    expect(created.length).toBeGreaterThan(PER_KIND);
    expect(result.detectedMs).toBeDefined();
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
