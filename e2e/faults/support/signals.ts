// What a user sees of a fault, as the cases poll it: a member's MeshCluster conditions, the
// controller's /readyz, and whether a healthy member keeps converging while another is faulted.
import { setTimeout as sleep } from "node:timers/promises";

import type { Member } from "../../support/controller-fleet.js";
import { SYNC } from "../../support/controller-fleet.js";
import { isReady, type ControllerProcess } from "../../support/controller-process.js";
import { conditionsOf } from "../../support/federation-members.js";
import { liveObjects } from "../../support/fleet-state.js";
import type { FaultWorld } from "./fault-world.js";

/** The member's MeshCluster says it is not connected or not synced (`Connected`/`Synced` not True). */
export async function shownUnavailable(world: FaultWorld, member: Member): Promise<boolean> {
  const conditions = await conditionsOf(world.fleet.home, member.cluster);
  return !(conditions["Connected"] ?? "").startsWith("True") || !(conditions["Synced"] ?? "").startsWith("True");
}

export async function conditionIs(world: FaultWorld, member: Member, type: string, status: string): Promise<boolean> {
  return ((await conditionsOf(world.fleet.home, member.cluster))[type] ?? "").startsWith(`${status} `);
}

export async function notReady(controller: ControllerProcess): Promise<boolean> {
  return !(await isReady(await controller.port()));
}

/**
 * Makes a change only the healthy member `a` shows, and waits until a's objects equal the plan for a:
 * work for the healthy member goes on during the fault. Returns the note for the result.
 */
export async function changeInHealthyMember(world: FaultWorld, n: number, timeoutMs: number): Promise<string> {
  const startedAt = Date.now();
  await world.changeInA(n);
  while (Date.now() - startedAt < timeoutMs) {
    const [planned, live] = [await world.fleet.planned(), await liveObjects([world.a], SYNC, world.fleet.identities)];
    if (JSON.stringify(planned[world.a.cluster]) === JSON.stringify(sortedLike(live[world.a.cluster] ?? {}, planned[world.a.cluster] ?? {}))) {
      return `a change in the healthy member during the fault reached it in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
    }
    await sleep(250);
  }
  throw new Error(`A change in the healthy member ${world.a.cluster} was not applied within ${timeoutMs} ms during the fault`);
}

function sortedLike<T>(have: Record<string, T>, want: Record<string, T>): Record<string, T> {
  const names = [...Object.keys(want), ...Object.keys(have).filter((name) => !(name in want))];
  return Object.fromEntries(names.filter((name) => name in have).map((name) => [name, have[name] as T]));
}

/** What every fault of member b shares: shown on its MeshCluster, and a change in the healthy member 10 s in must reach it. */
export const MEMBER_FAULT = {
  detectedBy: "MeshCluster",
  detected: (world: FaultWorld): Promise<boolean> => shownUnavailable(world, world.b),
  during: (world: FaultWorld): Promise<string> => changeInHealthyMember(world, 1, 20_000),
} as const;
