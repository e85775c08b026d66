// Background churn for the fleet benchmark (see fleet.ts): workload changes at a steady rate, of two
// kinds. A routing change flips one workload's EndpointSlice between one ready endpoint and none:
// the plan follows it (that cluster's endpoints leave or rejoin the identity's ServiceEntries in
// every caller's cluster, and failover targets move), about a dozen writes here. A scale change moves
// a workload between one and two ready endpoints: the controller derives, plans and reconciles it
// like any change, and finds nothing to write (what most EndpointSlice changes of a real mesh are:
// pods replaced or scaled while the Service stays up). `routingShare` of the changes are routing
// changes, on their own set of workloads. Workloads are taken round-robin in a shuffled order. Changes are started as they fall
// due (a timer late on a busy machine starts the ones it missed); at most MAX_IN_FLIGHT are
// outstanding, so a slow API server lowers the achieved rate instead of piling up requests.
import type { BenchFleet } from "./converge-fleet.js";
import { setWorkloadReady, type Log } from "./fleet-seed.js";
import type { FleetWorkload } from "./fleet-topology.js";

const MAX_IN_FLIGHT = 16;
const TICK_MS = 20;

export interface ChurnResult {
  readonly changes: number;
  /** Of which routing changes (a workload's last ready endpoint going or coming back). */
  readonly routing: number;
  readonly seconds: number;
  readonly skipped: number;
  readonly failures: number;
}

export interface Churn {
  /** Stops starting changes, waits for those in flight, and says what it achieved. */
  stop(): Promise<ChurnResult>;
}

/** A deterministic shuffle (a linear congruential generator), so runs churn the same workloads. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 42;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export interface ChurnRate {
  readonly perSecond: number;
  /** In [0, 1]: the share of routing changes (every 1/share-th change). */
  readonly routingShare: number;
}

export function startChurn(fleet: BenchFleet, workloads: readonly FleetWorkload[], rate: ChurnRate, log: Log): Churn {
  const { perSecond, routingShare } = rate;
  const order = shuffled(workloads);
  const every = routingShare > 0 ? Math.max(1, Math.round(1 / routingShare)) : Number.POSITIVE_INFINITY;
  // Routing changes take every `every`-th workload of the order, scale changes the others.
  const routingSet = order.filter((_, i) => i % every === 0);
  const scaleSet = order.filter((_, i) => i % every !== 0);
  const ready = new Map<FleetWorkload, number>();
  const inFlight = new Set<Promise<void>>();
  const counts = { changes: 0, routing: 0, skipped: 0, failures: 0 };
  const taken = { routing: 0, scale: 0 };
  let next = 0;
  const started = performance.now();
  const tick = (): void => {
    const due = Math.floor(((performance.now() - started) / 1_000) * perSecond);
    while (next + counts.skipped < due) {
      if (inFlight.size >= MAX_IN_FLIGHT) counts.skipped += 1;
      else launch();
    }
  };
  const launch = (): void => {
    const routing = next % every === 0 || scaleSet.length === 0;
    next += 1;
    const set = routing ? routingSet : scaleSet;
    const workload = set[(routing ? taken.routing++ : taken.scale++) % set.length] as FleetWorkload;
    const current = ready.get(workload) ?? 1;
    const value = routing ? (current === 1 ? 0 : 1) : current === 1 ? 2 : 1;
    ready.set(workload, value);
    const change = setWorkloadReady(fleet, workload, value).then(
      () => {
        counts.changes += 1;
        if (routing) counts.routing += 1;
      },
      (err: unknown) => {
        counts.failures += 1;
        if (counts.failures <= 3) log(`churn: a change failed: ${String(err)}`);
      },
    );
    inFlight.add(change);
    void change.finally(() => inFlight.delete(change));
  };
  const timer = setInterval(tick, TICK_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1_000;
      await Promise.all(inFlight);
      return { ...counts, seconds };
    },
  };
}
