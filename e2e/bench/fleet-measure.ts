// What the fleet benchmark measures besides latency (see fleet.ts): member API requests counted by
// the API servers themselves (`apiserver_request_total`, WATCH and Leases left out), the requests and
// writes of one full resync, the requests of one workload change, and the controllers' memory and CPU
// from /proc. Requests the controllers make on timers whatever happens (each kind's rate in a quiet
// window just before, e.g. the leader's FailoverDrill LISTs) are subtracted kind by kind from the
// per-change and per-resync counts (never below 0 for a kind); the raw counts are printed. Writes are
// never subtracted.
import { readdirSync, readFileSync } from "node:fs";
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
// Longer than the status reporter's deferral (at most 10 s while reconciles run), so its backlog after a cold start is over.
const QUIET_WRITES_MS = 15_000;

/** Every member's requests (not WATCH), summed over the fleet, by `VERB resource[/subresource]`. */
export async function fleetRequests(fleet: BenchFleet): Promise<Map<string, number>> {
  const perMember = await Promise.all(fleet.members.map((m) => apiServerRequestCounts(m.plane, (verb) => verb !== "WATCH")));
  const total = new Map<string, number>();
  for (const counts of perMember) for (const [key, n] of counts) total.set(key, (total.get(key) ?? 0) + n);
  return total;
}

const sum = (counts: ReadonlyMap<string, number>, keep: (key: string) => boolean = () => true): number => [...counts].filter(([key]) => keep(key)).reduce((s, [, n]) => s + n, 0);
/** Access and token reviews are POSTs that store nothing: reads here. */
const isWrite = (key: string): boolean => {
  const [verb = "", resource = ""] = key.split(" ");
  return isWriteVerb(verb) && !resource.endsWith("reviews");
};

function grown(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...after].filter(([key, n]) => n > (before.get(key) ?? 0)).map(([key, n]) => [key, n - (before.get(key) ?? 0)]));
}

type Rates = ReadonlyMap<string, number>;

/**
 * Waits until the members see no write for QUIET_WRITES_MS (after a cold start the status reporter
 * writes thousands of ServiceDependency statuses for minutes after the queues ran dry; counting those
 * against one change would say nothing about the change).
 */
async function noWrites(fleet: BenchFleet, log: Log): Promise<void> {
  const started = performance.now();
  let previous = sum(await fleetRequests(fleet), isWrite);
  await waitUntil(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, QUIET_WRITES_MS));
      const writes = sum(await fleetRequests(fleet), isWrite);
      const quiet = writes === previous;
      if (!quiet) log(`waiting for the members' writes to stop: ${writes - previous} in the last ${QUIET_WRITES_MS / 1_000} s`);
      previous = writes;
      return quiet;
    },
    { what: "the members' writes to stop", timeoutMs: 1_800_000, intervalMs: 0 },
  );
  log(`no member writes for ${QUIET_WRITES_MS / 1_000} s (waited ${Math.round((performance.now() - started) / 1_000)} s)`);
}

/** Requests per second of each kind the fleet serves while nothing changes (the controllers' timers). */
async function quietRates(fleet: BenchFleet, log: Log, what: string): Promise<Rates> {
  await noWrites(fleet, log);
  const before = await fleetRequests(fleet);
  await new Promise((resolve) => setTimeout(resolve, QUIET_WINDOW_MS));
  const delta = grown(before, await fleetRequests(fleet));
  log(`${what}: quiet baseline over ${QUIET_WINDOW_MS / 1_000} s ${JSON.stringify(Object.fromEntries(delta))}`);
  return new Map([...delta].map(([key, n]) => [key, n / (QUIET_WINDOW_MS / 1_000)]));
}

/** `delta` less, for each kind that is not a write, what the quiet rate makes in `seconds` (at least 0). */
function beyondBaseline(delta: ReadonlyMap<string, number>, rates: Rates, seconds: number): number {
  return [...delta].reduce((s, [key, n]) => s + (isWrite(key) ? n : Math.max(0, n - (rates.get(key) ?? 0) * seconds)), 0);
}

export interface ChangeCost {
  /** Mean member requests per change, the bench's own write, the quiet baseline and the probes' reviews taken out. */
  readonly requests: number;
  /** Mean member writes per change (the bench's own write taken out). */
  readonly writes: number;
  /** Mean ServiceEntries and DestinationRules written per change: the objects the change actually changed (applies are made only where live differs). */
  readonly objectsChanged: number;
}

/** `count` single changes, one at a time, each waited for until the queues are empty. */
export async function requestsPerChange(fleet: BenchFleet, controller: ControllerProcess, workloads: readonly FleetWorkload[], log: Log): Promise<ChangeCost> {
  await drained(controller);
  const rates = await quietRates(fleet, log, "requests per change");
  const requests: number[] = [];
  const writes: number[] = [];
  const objects: number[] = [];
  for (const workload of workloads) {
    const before = await fleetRequests(fleet);
    const started = performance.now();
    await setWorkloadReady(fleet, workload, 0);
    await drained(controller);
    const delta = grown(before, await fleetRequests(fleet));
    const seconds = (performance.now() - started) / 1_000;
    // The probes' reviews run on their own timers (a liveness review every 10 s, the permission
    // reviews every few minutes, per member and replica): a burst of them landing in one change's
    // window says nothing about the change. They are printed below, not counted.
    requests.push(beyondBaseline(new Map([...delta].filter(([key]) => !key.endsWith("reviews"))), rates, seconds) - 1);
    writes.push(sum(delta, isWrite) - 1);
    objects.push(sum(delta, (key) => /^(APPLY|PATCH|DELETE|POST|PUT) (serviceentries|destinationrules)$/.test(key)));
    log(`change of ${workload.identity} in cluster ${workload.cluster}: ${sum(delta)} requests in ${seconds.toFixed(1)} s ${JSON.stringify(Object.fromEntries(delta))}`);
    await setWorkloadReady(fleet, workload, 1);
    await drained(controller);
  }
  const mean = (values: readonly number[]): number => Math.round((values.reduce((s, v) => s + v, 0) / values.length) * 10) / 10;
  return { requests: mean(requests), writes: mean(writes), objectsChanged: mean(objects) };
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
  const rates = await quietRates(fleet, log, "resync");
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
  log(`resync: ${sum(delta)} requests in ${seconds.toFixed(1)} s before the baseline is taken out ${JSON.stringify(Object.fromEntries(delta))}`);
  return { requests: Math.round(beyondBaseline(delta, rates, seconds)), writes: sum(delta, isWrite) };
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

/** CPU seconds used so far by every kube-apiserver and etcd descended from this process (the bench's control planes). */
export function controlPlaneCpuSeconds(): number {
  const parents = new Map<number, { parent: number; name: string; cpu: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), { parent: Number(fields[1]), name, cpu: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // The process ended while being read.
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid)?.parent; p !== undefined && p > 1; p = parents.get(p)?.parent) if (p === process.pid) return true;
    return false;
  };
  return Math.round([...parents].filter(([pid, p]) => (p.name === "kube-apiserver" || p.name === "etcd") && descends(pid)).reduce((s, [, p]) => s + p.cpu, 0));
}
