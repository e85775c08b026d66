import pino from "pino";
import { describe, expect, it } from "vitest";

import { ClusterWorkers } from "./cluster-workers.js";

function recordingPool(): { pool: { startWorker(cluster: string): void; stopWorker(cluster: string): Promise<void> }; events: string[] } {
  const events: string[] = [];
  return {
    events,
    pool: {
      startWorker: (cluster) => void events.push(`start ${cluster}`),
      stopWorker: async (cluster) => void events.push(`stop ${cluster}`),
    },
  };
}

describe("ClusterWorkers", () => {
  it("starts no worker before open(), then one per cluster, following joins and leaves", async () => {
    let clusters = ["a"];
    const { pool, events } = recordingPool();
    const left: string[] = [];
    const workers = new ClusterWorkers({ pool, clusters: () => clusters, handler: async () => undefined, log: pino({ level: "silent" }), left: (c) => void left.push(c) });
    clusters = ["a", "b"];
    workers.clustersChanged();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual([]);
    await workers.open();
    expect(events).toEqual(["start a", "start b"]);
    clusters = ["b", "c"];
    workers.clustersChanged();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(["start a", "start b", "start c", "stop a"]);
    expect(left).toEqual(["a"]);
    expect(workers.names()).toEqual(["b", "c"]);
  });

  it("pauses a cluster this replica cannot reach without forgetting it, and resumes it", async () => {
    const clusters = ["a", "b"];
    let paused: string[] = [];
    const { pool, events } = recordingPool();
    const left: string[] = [];
    const workers = new ClusterWorkers({ pool, clusters: () => clusters, paused: () => paused, handler: async () => undefined, log: pino({ level: "silent" }), left: (c) => void left.push(c) });
    await workers.open();
    paused = ["b"];
    workers.clustersChanged();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(["start a", "start b", "stop b"]);
    expect(left).toEqual([]);
    paused = [];
    workers.clustersChanged();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(["start a", "start b", "stop b", "start b"]);
  });
});
