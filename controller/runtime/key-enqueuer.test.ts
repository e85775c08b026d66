// The change sink: bursts collapse into one enqueue of clusters × identities, "all" expands to every
// identity the planner knows, and keys survive a failed enqueue.
import { pino } from "pino";
import { describe, expect, it } from "vitest";

import type { PlannedKey } from "../queue/index.js";
import { KeyEnqueuer } from "./key-enqueuer.js";

function recorder(failures = 0): { calls: PlannedKey[][]; enqueue: (keys: readonly PlannedKey[]) => Promise<void> } {
  const calls: PlannedKey[][] = [];
  let left = failures;
  return {
    calls,
    enqueue: (keys) => {
      if (left > 0) {
        left -= 1;
        return Promise.reject(new Error("redis down"));
      }
      calls.push([...keys]);
      return Promise.resolve();
    },
  };
}

const base = { clusters: () => ["a", "b"], identities: () => ["x", "y", "z"], planDigestOf: (c: string, i: string) => `${c}:${i}`, log: pino({ level: "silent" }) };

describe("KeyEnqueuer", () => {
  it("collects a burst into one enqueue per cluster and identity, with the plan digest", async () => {
    const queues = recorder();
    const enqueuer = new KeyEnqueuer({ ...base, queues });
    enqueuer.identitiesChanged(["x"], "one");
    enqueuer.identitiesChanged(["y", "x"], "two");
    await enqueuer.flush();
    expect(queues.calls).toEqual([
      [
        { cluster: "a", identity: "x", planDigest: "a:x" },
        { cluster: "a", identity: "y", planDigest: "a:y" },
        { cluster: "b", identity: "x", planDigest: "b:x" },
        { cluster: "b", identity: "y", planDigest: "b:y" },
      ],
    ]);
  });

  it("expands all to every identity", async () => {
    const queues = recorder();
    const enqueuer = new KeyEnqueuer({ ...base, queues });
    enqueuer.allChanged("wildcard");
    await enqueuer.flush();
    expect(queues.calls[0]?.map((k) => `${k.cluster}/${k.identity}`)).toEqual(["a/x", "a/y", "a/z", "b/x", "b/y", "b/z"]);
  });

  it("keeps the keys when Redis refuses, and enqueues them on the retry", async () => {
    const queues = recorder(1);
    const enqueuer = new KeyEnqueuer({ ...base, queues });
    enqueuer.identitiesChanged(["z"], "change");
    await enqueuer.flush();
    expect(queues.calls).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await enqueuer.flush();
    expect(queues.calls.flat().map((k) => `${k.cluster}/${k.identity}`)).toEqual(["a/z", "b/z"]);
  });

  it("accepts nothing after close", async () => {
    const queues = recorder();
    const enqueuer = new KeyEnqueuer({ ...base, queues });
    await enqueuer.close();
    enqueuer.identitiesChanged(["x"], "late");
    await enqueuer.flush();
    expect(queues.calls).toEqual([]);
  });
});
