// One fault case, measured the same way every time: unowned objects planted first, the routes and
// request counters read, the fault injected and held, every second the members' routes sampled and
// the controller's signal polled; then healed, and the shared end-of-case check: the members equal
// the plan of the final inputs, no unowned object touched, no controller crashed, no API server
// served more than a bound of requests per second over the window. The result becomes a table row.
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";

import { apiServerRequestCounts, isWriteVerb } from "../../support/apiserver-metrics.js";
import type { Member } from "../../support/controller-fleet.js";
import { liveObjects, type FleetObjects } from "../../support/fleet-state.js";
import { SYNC } from "../../support/controller-fleet.js";
import type { ControllerProcess } from "../../support/controller-process.js";
import type { FaultResult } from "./fault-table.js";
import type { FaultWorld } from "./fault-world.js";
import { recordResult } from "./fault-run.js";
import { plantUnowned, unownedTouched } from "./unowned.js";

/**
 * Requests per second (WATCH excluded) one API server may serve over a fault window. The test itself
 * reads every member about twice a second (routes, conditions); an idle member with a healthy
 * controller serves 1–3/s, a hot loop hundreds.
 */
export const REQUEST_RATE_BOUND = 25;
const SAMPLE_MS = 1_000;
const READ_TIMEOUT_MS = 3_000;

export interface FaultCase {
  readonly case: string;
  readonly fault: string;
  /** What shows the fault, e.g. `MeshCluster`; `n/a` for a fault nothing should report (then no `detected`). */
  readonly detectedBy: string;
  /** Polled every 250 ms from the fault's start until it holds (errors count as "not yet"). */
  detected?(world: FaultWorld): Promise<boolean>;
  inject(world: FaultWorld): Promise<void>;
  /** How long the fault lasts (ms). */
  readonly holdMs: number;
  heal(world: FaultWorld): Promise<void>;
  /** Members whose routes can be read while the fault lasts (default: both). */
  readonly readableDuringFault?: (world: FaultWorld) => readonly Member[];
  /** Something to do 10 s into the fault (e.g. a change in the healthy member); its note goes into the result. */
  during?(world: FaultWorld): Promise<string | undefined>;
  /** Controllers that must end the case running with the PID they had, asked at the end (default: every one started before the fault). */
  readonly survivors?: (world: FaultWorld) => readonly ControllerProcess[];
  readonly recoveryTimeoutMs?: number;
  /** A case that itself writes many objects (a burst) may allow more than REQUEST_RATE_BOUND. */
  readonly requestRateBound?: number;
}

/** `cluster host endpoint` for every endpoint of every ServiceEntry. */
export function routesOf(objects: FleetObjects): Set<string> {
  const routes = new Set<string>();
  for (const [cluster, byName] of Object.entries(objects)) {
    const entries = Object.entries(byName).filter(([name]) => name.startsWith("ServiceEntry/"));
    for (const [, object] of entries) {
      const spec = object.spec as { hosts?: string[]; endpoints?: { address?: string }[] };
      const pairs = (spec.hosts ?? []).flatMap((host) => (spec.endpoints ?? []).map((endpoint) => `${cluster} ${host} ${endpoint.address ?? ""}`));
      for (const route of pairs) routes.add(route);
    }
  }
  return routes;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise.catch(() => undefined), sleep(ms).then(() => undefined)]);
}

/** The routes of every member that answered (a member whose ServiceEntries are all gone answers with none). */
async function readableRoutes(world: FaultWorld, members: readonly Member[]): Promise<{ routes: Set<string>; answered: Set<string> }> {
  const routes = new Set<string>();
  const answered = new Set<string>();
  for (const member of members) {
    const objects = await withTimeout(liveObjects([member], SYNC, world.fleet.identities), READ_TIMEOUT_MS);
    if (objects === undefined) continue;
    answered.add(member.cluster);
    for (const route of routesOf(objects)) routes.add(route);
  }
  return { routes, answered };
}

type Counts = Map<string, Map<string, number>>;

async function requestCounts(world: FaultWorld): Promise<Counts> {
  const counts: Counts = new Map();
  for (const member of world.fleet.members) {
    const read = await withTimeout(apiServerRequestCounts(member.plane, (verb) => verb !== "WATCH"), READ_TIMEOUT_MS);
    if (read !== undefined) counts.set(member.cluster, read);
  }
  return counts;
}

/** Requests between two reads; a counter that went down means the API server restarted, so it counts from zero. */
function grown(before: ReadonlyMap<string, number> | undefined, after: ReadonlyMap<string, number> | undefined, include: (key: string) => boolean): number {
  if (before === undefined || after === undefined) return 0;
  const sum = (map: ReadonlyMap<string, number>): number => [...map].filter(([key]) => include(key)).reduce((total, [, n]) => total + n, 0);
  const [b, a] = [sum(before), sum(after)];
  return a >= b ? a - b : a;
}

const routeWrite = (key: string): boolean => isWriteVerb(key.split(" ")[0] ?? "") && /^(\S+) (serviceentries|destinationrules)$/.test(key);

interface Sampler {
  lost: Set<string>;
  detectedMs: number | undefined;
  stop(): Promise<void>;
}

interface SampleInput {
  readonly baseline: ReadonlySet<string>;
  readonly startedAt: number;
  readonly members: () => readonly Member[];
}

function sample(world: FaultWorld, spec: FaultCase, { baseline, startedAt, members }: SampleInput): Sampler {
  const state: Sampler = { lost: new Set(), detectedMs: undefined, stop: async () => undefined };
  let running = true;
  const routes = (async () => {
    while (running) {
      const { routes: seen, answered } = await readableRoutes(world, members());
      for (const route of baseline) if (answered.has(route.split(" ")[0] ?? "") && !seen.has(route)) state.lost.add(route);
      await sleep(SAMPLE_MS);
    }
  })();
  const detection = (async () => {
    while (running && state.detectedMs === undefined && spec.detected !== undefined) {
      if ((await withTimeout(spec.detected(world), READ_TIMEOUT_MS)) === true) state.detectedMs = Date.now() - startedAt;
      await sleep(250);
    }
  })();
  state.stop = async () => {
    running = false;
    await Promise.all([routes, detection]);
  };
  return state;
}

export async function runFaultCase(world: FaultWorld, spec: FaultCase): Promise<FaultResult> {
  const startedBefore = [...world.controllers];
  const unowned = await plantUnowned(world);
  const baseline = routesOf(await world.fleet.live());
  const countsBefore = await requestCounts(world);
  let healed = false;
  const readable = (): readonly Member[] => (healed ? world.fleet.members : (spec.readableDuringFault?.(world) ?? world.fleet.members));
  const startedAt = Date.now();
  await spec.inject(world);
  const sampler = sample(world, spec, { baseline, startedAt, members: readable });
  const notes: string[] = [];
  let countsAtEnd: Counts | undefined;
  try {
    await sleep(Math.min(10_000, spec.holdMs / 2));
    const note = await spec.during?.(world);
    if (note !== undefined) notes.push(note);
    await sleep(Math.max(0, startedAt + spec.holdMs - Date.now()));
    countsAtEnd = await requestCounts(world);
  } finally {
    await spec.heal(world);
    healed = true;
  }
  const endedAt = Date.now();
  try {
    await world.fleet.converged(`recovery from ${spec.case}`, spec.recoveryTimeoutMs ?? 180_000);
  } finally {
    await sampler.stop();
  }
  const recoveredMs = Date.now() - endedAt;
  const countsAfter = await requestCounts(world);
  const measured = { countsBefore, countsAtEnd: countsAtEnd ?? new Map(), countsAfter, unowned: await unownedTouched(world, unowned), windowMs: Date.now() - startedAt, sampler, recoveredMs, notes };
  const result = finish(world, spec, measured);
  recordResult(result);
  expect(await world.fleet.live()).toEqual(await world.fleet.planned());
  expect(result.unownedTouched, "objects without Meridian's label touched").toBe(0);
  for (const controller of spec.survivors?.(world) ?? startedBefore) expect(await isRunning(controller), `controller ${controller.pid} still running`).toBe(true);
  for (const controller of world.controllers) expect(notJson(controller.logLines), `controller ${controller.pid}: every line of its output a JSON log line`).toEqual([]);
  expect(result.requestRate.perSecond, `requests per second on ${result.requestRate.cluster}`).toBeLessThanOrEqual(result.requestRate.bound);
  return result;
}

/** Output lines that are not JSON log lines (the first few): a raw dump breaks every log pipeline. */
function notJson(lines: readonly string[]): string[] {
  const isJson = (line: string): boolean => {
    try {
      return typeof JSON.parse(line) === "object";
    } catch {
      return false;
    }
  };
  return lines.filter((line) => !isJson(line)).slice(0, 10);
}

/** The same PID, never exited: no crash and no restart (a supervisor would hide a crash behind a new PID). */
async function isRunning(controller: ControllerProcess): Promise<boolean> {
  const exited = await Promise.race([controller.exited.then(() => true), sleep(0).then(() => false)]);
  try {
    process.kill(controller.pid, 0);
  } catch {
    return false;
  }
  return !exited;
}

interface Measured {
  countsBefore: Counts;
  countsAtEnd: Counts;
  countsAfter: Counts;
  unowned: number;
  windowMs: number;
  sampler: Sampler;
  recoveredMs: number;
  notes: readonly string[];
}

function finish(world: FaultWorld, spec: FaultCase, m: Measured): FaultResult {
  const bound = spec.requestRateBound ?? REQUEST_RATE_BOUND;
  let rate = { perSecond: 0, bound, cluster: "" };
  for (const member of world.fleet.members) {
    const perSecond = grown(m.countsBefore.get(member.cluster), m.countsAfter.get(member.cluster), () => true) / (m.windowMs / 1000);
    if (perSecond >= rate.perSecond) rate = { perSecond: Math.round(perSecond * 10) / 10, bound, cluster: member.cluster };
  }
  const writes = world.fleet.members.reduce((sum, member) => sum + grown(m.countsBefore.get(member.cluster), m.countsAtEnd.get(member.cluster), routeWrite), 0);
  return {
    case: spec.case,
    fault: spec.fault,
    detectedMs: m.sampler.detectedMs,
    detectedBy: spec.detectedBy,
    recoveredMs: m.recoveredMs,
    writesDuringFault: writes,
    routesLost: m.sampler.lost.size,
    lostRoutes: [...m.sampler.lost].sort(),
    unownedTouched: m.unowned,
    requestRate: rate,
    notes: m.notes,
  };
}
