// What the fleet benchmark measures besides latency (see fleet.ts): member API requests counted by
// the API servers themselves (`apiserver_request_total`, WATCH and Leases left out), the requests and
// writes of one full resync, the requests of one workload change, and the controllers' memory and CPU
// from /proc. Requests the controllers make on timers whatever happens (a quiet window's rate, measured
// just before) are subtracted from the per-change and per-resync counts, and printed.
import { readFileSync } from "node:fs";
import { Redis } from "ioredis";

import { lastResyncKey } from "../../controller/queue/index.js";
import { waitUntil } from "../harness/wait-until.js";
import { apiServerRequestCounts, isWriteVerb } from "../support/apiserver-metrics.js";
import type { ControllerProcess } from "../support/controller-process.js";
import type { BenchFleet } from "./converge-fleet.js";
import { drained } from "./converge-steps.js";
import { setWorkloadReady, type Log } from "./fleet-seed.js";
import type { FleetWorkload } from "./fleet-topology.js";

const QUIET_WINDOW_MS = 10_000;

/** Every member's requests (not WATCH), summed over the fleet, by `VERB resource[/subresource]`. */
export async function fleetRequests(fleet: BenchFleet): Promise<Map<string, number>> {
  const perMember = await Promise.all(fleet.members.map((m) => apiServerRequestCounts(m.plane, (verb) => verb !== "WATCH")));
  const total = new Map<string, number>();
  for (const counts of perMember) for (const [key, n] of counts) total.set(key, (total.get(key) ?? 0) + n);
  return total;
}

const sum = (counts: ReadonlyMap<string, number>, keep: (key: string) => boolean = () => true): number => [...counts].filter(([key]) => keep(key)).reduce((s, [, n]) => s + n, 0);
const isWrite = (key: string): boolean => isWriteVerb(key.split(" ")[0] ?? "");

function grown(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...after].filter(([key, n]) => n > (before.get(key) ?? 0)).map(([key, n]) => [key, n - (before.get(key) ?? 0)]));
}

/** Requests per second the fleet serves while nothing changes (the controllers' timers). */
async function quietRate(fleet: BenchFleet, log: Log, what: string): Promise<number> {
  const before = await fleetRequests(fleet);
  await new Promise((resolve) => setTimeout(resolve, QUIET_WINDOW_MS));
  const delta = grown(before, await fleetRequests(fleet));
  const rate = sum(delta) / (QUIET_WINDOW_MS / 1_000);
  log(`${what}: quiet baseline ${rate.toFixed(2)} requests/s ${JSON.stringify(Object.fromEntries(delta))}`);
  return rate;
}

export interface ChangeCost {
  /** Mean member requests per change, the bench's own write and the quiet baseline taken out. */
  readonly requests: number;
  /** Mean member writes per change (the bench's own write taken out). */
  readonly writes: number;
}

/** `count` single changes, one at a time, each waited for until the queues are empty. */
export async function requestsPerChange(fleet: BenchFleet, controller: ControllerProcess, workloads: readonly FleetWorkload[], log: Log): Promise<ChangeCost> {
  await drained(controller);
  const rate = await quietRate(fleet, log, "requests per change");
  const requests: number[] = [];
  const writes: number[] = [];
  for (const workload of workloads) {
    const before = await fleetRequests(fleet);
    const started = performance.now();
    await setWorkloadReady(fleet, workload, 0);
    await drained(controller);
    const delta = grown(before, await fleetRequests(fleet));
    const seconds = (performance.now() - started) / 1_000;
    requests.push(sum(delta) - 1 - rate * seconds);
    writes.push(sum(delta, isWrite) - 1);
    log(`change of ${workload.identity} in cluster ${workload.cluster}: ${sum(delta)} requests in ${seconds.toFixed(1)} s ${JSON.stringify(Object.fromEntries(delta))}`);
    await setWorkloadReady(fleet, workload, 1);
    await drained(controller);
  }
  const mean = (values: readonly number[]): number => Math.round((values.reduce((s, v) => s + v, 0) / values.length) * 10) / 10;
  return { requests: mean(requests), writes: mean(writes) };
}

export interface ResyncCost {
  readonly requests: number;
  readonly writes: number;
}

/**
 * One full resync of the converged fleet, as the leader runs it on its interval: the time of the last
 * resync is removed from Redis, so the leader finds one due within its 2 s check; counted from before
 * that until the queues are empty again.
 */
export async function resyncCost(fleet: BenchFleet, controllers: readonly ControllerProcess[], log: Log): Promise<ResyncCost> {
  const resyncs = (): number => controllers.reduce((n, c) => n + c.logged(/^Enqueued a full resync$/).length, 0);
  await drained(controllers[0] as ControllerProcess);
  const rate = await quietRate(fleet, log, "resync");
  const seen = resyncs();
  const before = await fleetRequests(fleet);
  const started = performance.now();
  const redis = new Redis(fleet.redisUrl, { lazyConnect: true });
  try {
    await redis.connect();
    await redis.del(lastResyncKey());
  } finally {
    redis.disconnect();
  }
  await waitUntil(async () => resyncs() > seen, { what: "the leader's resync", timeoutMs: 120_000, intervalMs: 100 });
  await drained(controllers[0] as ControllerProcess, 1_800_000);
  const delta = grown(before, await fleetRequests(fleet));
  const seconds = (performance.now() - started) / 1_000;
  log(`resync: ${sum(delta)} requests in ${seconds.toFixed(1)} s (baseline ${Math.round(rate * seconds)}) ${JSON.stringify(Object.fromEntries(delta))}`);
  return { requests: Math.max(0, Math.round(sum(delta) - rate * seconds)), writes: sum(delta, isWrite) };
}

export interface ProcessStats {
  readonly rssMb: number;
  /** Peak resident set size. */
  readonly peakRssMb: number;
  readonly cpuSeconds: number;
}

/** From /proc/<pid>: resident and peak memory, user + system CPU time. */
export function processStats(pid: number): ProcessStats {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised command name): utime, stime, in ticks of 1/100 s.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssMb: Math.round(kb("VmRSS") / 1024), peakRssMb: Math.round(kb("VmHWM") / 1024), cpuSeconds: Math.round(ticks) / 100 };
}
