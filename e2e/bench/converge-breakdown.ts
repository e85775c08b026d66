// Where a latency trial's milliseconds go, read from the controller's debug log (`bench:converge
// --breakdown`): for each trial, from the first create call of the workload to
//   enqueued:  the first "Enqueued reconciles" naming the identity (watch delivery, the 10 ms derive
//              and 5 ms enqueue coalescing, derivation, the graph, planning the key's digest, Redis);
//   picked:    the "Reconciling" of the caller's key that wrote the ServiceEntry (the queue: BullMQ
//              hands the job to the cluster's worker);
//   applied:   its "Applied ServiceEntry" (reading the plan and the member cache, the apply request);
//   seen:      the bench reading the ServiceEntry (its 5 ms polling and one GET).
// Medians of each step, and of writing the workload itself (part of the first step).
import { readFileSync } from "node:fs";

import { percentile } from "./converge-latency.js";

export interface TrialMark {
  readonly identity: string;
  /** Unix ms of the first create call, and of the ServiceEntry first read back in the caller's cluster. */
  readonly startedUnix: number;
  readonly seenUnix: number;
  readonly creationMs: number;
}

interface LogLine {
  readonly time: number;
  readonly msg: string;
  readonly cluster?: string;
  readonly identity?: string;
  readonly identities?: string[];
  readonly name?: string;
}

export interface Breakdown {
  readonly trials: number;
  readonly create_ms: number;
  readonly to_enqueued_ms: number;
  readonly queue_ms: number;
  readonly reconcile_ms: number;
  readonly to_seen_ms: number;
}

function parse(logFile: string): LogLine[] {
  return readFileSync(logFile, "utf8")
    .split("\n")
    .flatMap((line) => {
      if (!line.startsWith("{")) return [];
      const value = JSON.parse(line) as Record<string, unknown>;
      return [{ ...value, time: Date.parse(String(value["time"])), msg: String(value["msg"]) } as LogLine];
    });
}

/** Medians over the trials whose steps were all found in the log; `caller` is the cluster the ServiceEntry is read in. */
export function breakdown(logFile: string, trials: readonly TrialMark[], caller: string): Breakdown {
  const lines = parse(logFile);
  const steps = { create: [] as number[], enqueued: [] as number[], queue: [] as number[], reconcile: [] as number[], seen: [] as number[] };
  for (const trial of trials) {
    const after = lines.filter((l) => l.time >= Math.floor(trial.startedUnix) && l.time <= Math.ceil(trial.seenUnix));
    const enqueued = after.find((l) => l.msg === "Enqueued reconciles" && l.identities?.includes(trial.identity) === true);
    const applied = after.find((l) => l.msg === "Applied ServiceEntry" && l.cluster === caller && l.name === `default.${trial.identity}.global-se`);
    const picked = applied === undefined ? undefined : after.filter((l) => l.msg === "Reconciling" && l.cluster === caller && l.identity === trial.identity && l.time <= applied.time).at(-1);
    if (enqueued === undefined || applied === undefined || picked === undefined) continue;
    steps.create.push(trial.creationMs);
    steps.enqueued.push(enqueued.time - trial.startedUnix);
    steps.queue.push(picked.time - enqueued.time);
    steps.reconcile.push(applied.time - picked.time);
    steps.seen.push(trial.seenUnix - applied.time);
  }
  return {
    trials: steps.create.length,
    create_ms: percentile(steps.create, 50),
    to_enqueued_ms: percentile(steps.enqueued, 50),
    queue_ms: percentile(steps.queue, 50),
    reconcile_ms: percentile(steps.reconcile, 50),
    to_seen_ms: percentile(steps.seen, 50),
  };
}
