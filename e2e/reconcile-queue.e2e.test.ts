// The reconcile queues against a real Redis: coalescing, exactly one follow-up run for a key that
// changes while its job runs, retries, permanent errors, and isolation between clusters.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, describe, expect, inject, test } from "vitest";

import { DEFAULT_QUEUE_SETTINGS, PermanentReconcileError, ReconcileQueues } from "../controller/queue/index.js";
import type { ReconcileHandler, ReconcileJobData } from "../controller/queue/index.js";
import "./support/provided-context.js";

const { url } = inject("redis");
const commands = new Redis(url);
const opened: ReconcileQueues[] = [];

function makeQueues(overrides: Partial<typeof DEFAULT_QUEUE_SETTINGS> = {}): ReconcileQueues {
  const queues = new ReconcileQueues({
    commands,
    workerConnection: () => new Redis(url, { maxRetriesPerRequest: null }),
    settings: { ...DEFAULT_QUEUE_SETTINGS, backoffMs: 20, ...overrides },
    log: pino({ level: "silent" }),
    now: () => Date.now(),
  });
  opened.push(queues);
  return queues;
}

const cluster = (): string => `c-${randomUUID().slice(0, 8)}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(20);
  }
}

afterAll(async () => {
  for (const queues of opened) await queues.close();
  await commands.quit();
});

describe("reconcile queues (real Redis)", () => {
  test("coalesce repeated keys while they wait", async () => {
    const queues = makeQueues();
    const c = cluster();
    for (let i = 0; i < 50; i += 1) {
      await queues.enqueue([{ cluster: c, identity: "payments" }, { cluster: c, identity: "ledger" }], "test");
    }
    const [stats] = await queues.stats([c]);
    expect(stats).toMatchObject({ cluster: c, waiting: 2, active: 0 });
    expect(stats?.oldestWaitingMs).toBeGreaterThanOrEqual(0);
  });

  test("an enqueue larger than one slice, interleaving clusters, keeps every key in its cluster's queue", async () => {
    const queues = makeQueues();
    const [a, b, c] = [cluster(), cluster(), cluster()];
    // 4,500 keys (more than two 2,000-key slices), clusters interleaved so every slice holds all three.
    const keys = Array.from({ length: 1_500 }, (_, i) => [a, b, c].map((cl) => ({ cluster: cl, identity: `id-${i}` }))).flat();
    await queues.enqueue(keys, "test", { background: true });
    const stats = await queues.stats([a, b, c]);
    expect(stats.map((s) => [s.cluster, s.waiting])).toEqual([a, b, c].map((cl) => [cl, 1_500]));
  });

  test("a key changed while its job runs gets exactly one follow-up run that sees the final state", async () => {
    const queues = makeQueues({ concurrencyPerCluster: 50 });
    const c = cluster();
    const keys = Array.from({ length: 100 }, (_, i) => `id-${i}`);
    const state = new Map<string, number>(); // the "world": a version per identity
    const seen = new Map<string, number>(); // the version each identity's last run read
    const runs = new Map<string, number>();
    const active = new Map<string, number>();
    let overlap = 0;
    let holdMs = 200;
    const handler: ReconcileHandler = async (job) => {
      active.set(job.identity, (active.get(job.identity) ?? 0) + 1);
      if ((active.get(job.identity) ?? 0) > 1) overlap += 1;
      seen.set(job.identity, state.get(job.identity) ?? 0); // level-triggered: read the state, not the event
      runs.set(job.identity, (runs.get(job.identity) ?? 0) + 1);
      await sleep(holdMs);
      active.set(job.identity, (active.get(job.identity) ?? 1) - 1);
    };
    const change = async (identity: string, version: number): Promise<void> => {
      state.set(identity, version);
      await queues.enqueue([{ cluster: c, identity }], "test");
    };
    const settled = async (): Promise<boolean> => {
      const [stats] = await queues.stats([c]);
      return stats !== undefined && stats.waiting + stats.active + stats.delayed === 0;
    };
    queues.startWorker(c, handler);

    // Phase 1: change keys while their jobs are running (after they read the state), several times.
    const first = keys.slice(0, 50);
    for (const identity of first) await change(identity, 1);
    await waitFor(() => first.every((k) => seen.get(k) === 1));
    for (let version = 2; version <= 4; version += 1) {
      for (const identity of first) await change(identity, version);
    }
    await waitFor(settled);
    expect(first.filter((k) => seen.get(k) !== 4)).toEqual([]);
    // One run for the first change, exactly one follow-up for the three changes made while it ran.
    expect(first.map((k) => runs.get(k))).toEqual(first.map(() => 2));

    // Phase 2: a burst of 2,000 changes over 100 keys while jobs run.
    holdMs = 3;
    for (let version = 5; version < 2005; version += 1) {
      await change(keys[version % keys.length] ?? "id-0", version);
      if (version % 50 === 0) await sleep(5);
    }
    await waitFor(async () => (await settled()) && keys.every((k) => seen.get(k) === state.get(k)));
    expect(keys.filter((k) => seen.get(k) !== state.get(k))).toEqual([]);
    expect(overlap).toBe(0);
  });

  test("failures retry with backoff until they succeed", async () => {
    const queues = makeQueues();
    const c = cluster();
    let calls = 0;
    queues.startWorker(c, async () => {
      calls += 1;
      if (calls < 3) throw new Error("cluster briefly unavailable");
    });
    await queues.enqueue([{ cluster: c, identity: "payments" }], "test");
    await waitFor(() => calls === 3);
    await sleep(100);
    expect(calls).toBe(3);
    const [stats] = await queues.stats([c]);
    expect(stats).toMatchObject({ failed: 0, waiting: 0, delayed: 0 });
  });

  test("a permanent error is recorded once and not retried", async () => {
    const queues = makeQueues();
    const c = cluster();
    let calls = 0;
    queues.startWorker(c, async () => {
      calls += 1;
      throw new PermanentReconcileError("ServiceEntry meridian-sync/x is not Meridian's");
    });
    await queues.enqueue([{ cluster: c, identity: "payments" }], "test");
    await waitFor(async () => (await queues.stats([c]))[0]?.failed === 1);
    await sleep(200);
    expect(calls).toBe(1);
  });

  test("a cluster whose jobs hang does not delay another cluster's jobs", async () => {
    const queues = makeQueues({ concurrencyPerCluster: 2 });
    const [slow, fast] = [cluster(), cluster()];
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    const done: ReconcileJobData[] = [];
    queues.startWorker(slow, () => hanging);
    queues.startWorker(fast, async (job) => {
      done.push(job);
    });
    await queues.enqueue(["a", "b", "c", "d"].map((identity) => ({ cluster: slow, identity })), "test");
    await queues.enqueue(["a", "b", "c", "d"].map((identity) => ({ cluster: fast, identity })), "test");
    await waitFor(() => done.length === 4, 10_000);
    const [slowStats] = await queues.stats([slow]);
    expect(slowStats).toMatchObject({ active: 2, waiting: 2 });
    expect(done.map((job) => job.identity).sort()).toEqual(["a", "b", "c", "d"]);
    expect(done.every((job) => job.cause === "test" && job.observedAt > 0)).toBe(true);
    release();
  });
});
