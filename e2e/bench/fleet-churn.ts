// Background churn for the fleet benchmark (see fleet.ts): workload changes at a steady rate, each
// flipping one workload's EndpointSlice between one ready endpoint and none — a change the plan
// follows (that cluster's endpoints leave or rejoin the identity's ServiceEntries in every caller's
// cluster). Workloads are taken round-robin in a shuffled order. Changes are started as they fall
// due (a timer late on a busy machine starts the ones it missed); at most MAX_IN_FLIGHT are
// outstanding, so a slow API server lowers the achieved rate instead of piling up requests.
import type { BenchFleet } from "./converge-fleet.js";
import { setWorkloadReady, type Log } from "./fleet-seed.js";
import type { FleetWorkload } from "./fleet-topology.js";

const MAX_IN_FLIGHT = 16;
const TICK_MS = 20;

export interface ChurnResult {
  readonly changes: number;
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

export function startChurn(fleet: BenchFleet, workloads: readonly FleetWorkload[], perSecond: number, log: Log): Churn {
  const order = shuffled(workloads);
  const ready = new Map<FleetWorkload, number>();
  const inFlight = new Set<Promise<void>>();
  const counts = { changes: 0, skipped: 0, failures: 0 };
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
    const workload = order[next % order.length] as FleetWorkload;
    next += 1;
    const value = (ready.get(workload) ?? 1) === 1 ? 0 : 1;
    ready.set(workload, value);
    const change = setWorkloadReady(fleet, workload, value).then(
      () => void (counts.changes += 1),
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
