// The controller survives what production throws at it, against real control planes and Redis:
// SIGKILL in the middle of a burst of 200 changes, a flushed Redis, and two replicas sharing one
// Redis. Each time the members end up exactly as the plan of the final inputs, and two replicas
// write no more than one would.
import { CustomObjectsApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { waitUntil } from "./harness/wait-until.js";
import { apply, setUpFleet, SYNC, type Member, type TestFleet } from "./support/controller-fleet.js";
import { isReady, metricSum, printControllerLog, startControllerProcess, type ControllerProcess } from "./support/controller-process.js";
import { printFederationLog } from "./support/federation-runtime.js";
import { applyWorkload, setReady } from "./support/federation-workloads.js";
import type { FleetObjects } from "./support/fleet-state.js";

const IDENTITIES = 20;
const ARGS = ["--resync-interval", "10m", "--lease-duration", "4s"];

/** Objects that differ between two fleet states (added, removed or changed). */
function changedObjects(before: FleetObjects, after: FleetObjects): number {
  let changed = 0;
  for (const cluster of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const [a, b] = [before[cluster] ?? {}, after[cluster] ?? {}];
    for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) if (JSON.stringify(a[name]) !== JSON.stringify(b[name])) changed += 1;
  }
  return changed;
}

describe("the controller under failure", () => {
  let fleet: TestFleet;
  const controllers: ControllerProcess[] = [];
  let burst: string[] = [];
  const placeOf = (i: number): Member => fleet.members[i % fleet.members.length] as Member;
  const start = (): ControllerProcess => {
    const controller = startControllerProcess({ homeKubeconfig: fleet.home.info.kubeconfig, redisUrl: fleet.redisUrl, args: ARGS });
    controllers.push(controller);
    return controller;
  };
  const writesOf = async (running: readonly ControllerProcess[]): Promise<number> => {
    let sum = 0;
    for (const controller of running) sum += await metricSum(await controller.port(), "meridian_api_writes_total");
    return sum;
  };

  beforeAll(async () => {
    fleet = await setUpFleet("res");
    burst = Array.from({ length: IDENTITIES }, (_, i) => `svc${i}-${fleet.id}`);
    const caller = `caller-${fleet.id}`;
    for (const identity of [caller, ...burst]) fleet.identities.add(identity);
    for (const [i, identity] of burst.entries()) await applyWorkload(placeOf(i).plane, { namespace: fleet.namespace, name: `svc${i}`, identity, ready: 1 });
    await applyWorkload(placeOf(1).plane, { namespace: fleet.namespace, name: "caller", identity: caller, ready: 1 });
    await apply(fleet.home.objects, fleet.dependency("caller", caller, burst));
    start();
    await fleet.converged("the first plan", 120_000);
  });

  afterAll(async () => {
    await Promise.all(controllers.map((controller) => controller.stop()));
    await fleet.cleanUp();
  });

  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      for (const controller of controllers) printControllerLog(controller, 60);
      printFederationLog(fleet.federation, 40);
    }),
  );

  test("killed (SIGKILL) in the middle of a burst of 200 changes and started again: the members equal the plan of the final inputs", async () => {
    const [first] = controllers as [ControllerProcess];
    const port = await first.port();
    const writesBefore = await metricSum(port, "meridian_api_writes_total");
    let writesAtKill = 0;
    for (let change = 0; change < 200; change += 1) {
      const i = change % IDENTITIES;
      await setReady(placeOf(i).plane, { namespace: fleet.namespace, name: `svc${i}`, identity: burst[i] ?? "", ready: 1, zone: `zone-${change % 5}` });
      if (change === 80) {
        writesAtKill = await metricSum(port, "meridian_api_writes_total");
        expect(await first.kill()).toBe("SIGKILL");
      }
    }
    expect(writesAtKill).toBeGreaterThan(writesBefore);
    start();
    await fleet.converged("the restarted controller to catch up", 120_000);
  });

  test("Redis flushed (queues, written state, resync bookkeeping gone): a resync restores the same state", async () => {
    const running = controllers.at(-1) as ControllerProcess;
    const expected = await fleet.live();
    const resyncs = running.logged(/^Enqueued a full resync$/).length;
    const member = placeOf(0);
    const api = member.plane.kubeConfig.makeApiClient(CustomObjectsApi);
    const [kindName] = Object.keys(expected[member.cluster] ?? {}).filter((key) => key.startsWith("ServiceEntry/"));
    await fleet.flushRedis();
    await api.deleteNamespacedCustomObject({ group: "networking.istio.io", version: "v1", namespace: SYNC, plural: "serviceentries", name: kindName?.split("/")[1] ?? "" });
    await waitUntil(async () => running.logged(/^Enqueued a full resync$/).length > resyncs, { what: "a resync after the flush", timeoutMs: 30_000 });
    await fleet.converged("the resync to restore the deleted ServiceEntry");
    expect(await fleet.live()).toEqual(expected);
  });

  test("two replicas against one Redis: both stay ready, one leads, and a change is written exactly as often as one replica would write it", async () => {
    const first = controllers.at(-1) as ControllerProcess;
    const second = start();
    await waitUntil(async () => (await isReady(await second.port())) && (await isReady(await first.port())), { what: "both replicas to be ready", timeoutMs: 60_000 });
    await waitUntil(async () => first.logged(/^Became the leader$/).length + second.logged(/^Became the leader$/).length > 0, { what: "a leader", timeoutMs: 30_000 });
    const before = await fleet.live();
    const writes = await writesOf([first, second]);
    for (let i = 0; i < 6; i += 1) await setReady(placeOf(i).plane, { namespace: fleet.namespace, name: `svc${i}`, identity: burst[i] ?? "", ready: 7 });
    await fleet.converged("both replicas to write the change");
    const expectedWrites = changedObjects(before, await fleet.live());
    expect(expectedWrites).toBeGreaterThan(0);
    // Let any late duplicate run before counting.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await writesOf([first, second])) - writes).toBe(expectedWrites);
  });

  test("the leader killed: the other replica takes the Lease over and keeps converging", async () => {
    const [first, second] = controllers.slice(-2) as [ControllerProcess, ControllerProcess];
    const leaderIsFirst = first.logged(/^Became the leader$/).length > first.logged(/^No longer the leader$/).length;
    const [leader, survivor] = leaderIsFirst ? [first, second] : [second, first];
    await leader.kill();
    await waitUntil(async () => survivor.logged(/^Became the leader$/).length > 0, { what: "the survivor to take the Lease", timeoutMs: 30_000 });
    for (let i = 0; i < 3; i += 1) await setReady(placeOf(i).plane, { namespace: fleet.namespace, name: `svc${i}`, identity: burst[i] ?? "", ready: 2 });
    await fleet.converged("the survivor alone");
  });
});
