// The Redis from the harness runs a BullMQ job end to end.
import { randomUUID } from "node:crypto";
import { Queue, QueueEvents, Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, test } from "vitest";
import "./support/provided-context.js";

describe("redis", () => {
  const { url } = inject("redis");
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  test("is configured the way BullMQ wants (noeviction)", async () => {
    const client = new Redis(url, { lazyConnect: true });
    closers.push(() => client.quit());
    await client.connect();
    expect(await client.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "noeviction"]);
  });

  test("runs a BullMQ job end to end", async () => {
    const name = `e2e-${randomUUID().slice(0, 8)}`;
    // Worker and QueueEvents block on Redis: their connections need maxRetriesPerRequest: null.
    // BullMQ does not close connections it was given, so they are closed last.
    const connections = [new Redis(url), new Redis(url, { maxRetriesPerRequest: null }), new Redis(url, { maxRetriesPerRequest: null })];
    closers.push(...connections.map((connection) => () => connection.quit()));
    const [queueConnection, eventsConnection, workerConnection] = connections as [Redis, Redis, Redis];
    const queue = new Queue(name, { connection: queueConnection });
    const events = new QueueEvents(name, { connection: eventsConnection });
    const worker = new Worker(name, async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), { connection: workerConnection });
    closers.push(() => queue.close(), () => events.close(), () => worker.close());
    await events.waitUntilReady();

    const job = await queue.add("double", { n: 21 });
    const result: unknown = await job.waitUntilFinished(events, 30_000);

    expect(result).toEqual({ doubled: 42 });
    expect(await queue.getJobCounts("completed", "failed")).toEqual({ completed: 1, failed: 0 });
  });
});
