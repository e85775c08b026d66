// Two replicas share the work; during a burst of 500 workload changes (zones moving in both members)
// the leader is killed with SIGKILL at the 200th change and a fresh replica starts at once. Nothing is
// lost: the survivor and the fresh replica finish the work, no route disappears, and every member
// equals the plan of the final inputs.
import { beforeAll, describe, expect, test } from "vitest";

import { waitUntil } from "../harness/wait-until.js";
import { isReady, type ControllerProcess } from "../support/controller-process.js";
import { setReady } from "../support/federation-workloads.js";
import { runFaultCase } from "./support/fault-case.js";
import { useWorld, type FaultWorld } from "./support/fault-world.js";

const CHANGES = 500;
const KILL_AT = 200;

function leaderOf(replicas: readonly ControllerProcess[]): ControllerProcess | undefined {
  return replicas.find((c) => c.logged(/^Became the leader$/).length > c.logged(/^No longer the leader$/).length);
}

describe("a burst of 500 changes while one of two replicas is killed and a fresh one starts", () => {
  let burst: Promise<void> | undefined;
  let killed: ControllerProcess | undefined;
  const world = useWorld("burst", {}, async () => burst);
  beforeAll(async () => {
    const { controllers } = world();
    world().startController();
    await waitUntil(async () => (await Promise.all(controllers.map(async (c) => isReady(await c.port())))).every(Boolean), { what: "both replicas ready", timeoutMs: 120_000 });
    await waitUntil(async () => leaderOf(controllers) !== undefined, { what: "a leader", timeoutMs: 60_000 });
  });

  const runBurst = async (w: FaultWorld): Promise<void> => {
    const { namespace } = w.fleet;
    for (let change = 0; change < CHANGES; change += 1) {
      const [member, name, identity] = change % 2 === 0 ? [w.a, "shared", w.identities.shared] : [w.b, "api", w.identities.api];
      await setReady(member.plane, { namespace, name, identity, ready: 1 + (change % 3), zone: `zone-${change % 5}` });
      if (change === KILL_AT) {
        killed = leaderOf(w.controllers) ?? w.controllers[0];
        await killed?.kill();
        w.startController();
      }
    }
  };

  test("no route lost, the others finish the work, recovered", async () => {
    const result = await runFaultCase(world(), {
      case: "replica-killed-in-burst",
      fault: "500 changes; the leader of 2 replicas SIGKILLed at the 200th, a fresh one started",
      detectedBy: "n/a",
      inject: async (w) => void (burst = runBurst(w)),
      holdMs: 60_000,
      heal: async () => burst,
      survivors: (w) => w.controllers.filter((c) => c !== killed),
      // The burst itself writes 500 EndpointSlices and the replicas rewrite what they change.
      requestRateBound: 60,
    });
    expect(killed).toBeDefined();
    expect(result.routesLost, result.lostRoutes.join("\n")).toBe(0);
  });
});
