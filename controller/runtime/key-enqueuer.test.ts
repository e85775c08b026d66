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

const base = { clusters: () => ["a", "b"], identities: () => ["x", "y", "z"], placedIn: () => ["a", "b"], planDigestOf: (c: string, i: string) => `${c}:${i}`, log: pino({ level: "silent" }) };
const keysOf = (call: PlannedKey[] | undefined): string[] => (call ?? []).map((k) => `${k.cluster}/${k.identity}`);

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

  it("after an identity's first enqueue, sends it only where the plan placed it before or places it now", async () => {
    const queues = recorder();
    const placement = new Map<string, string[]>([["x", ["a"]]]);
    const placedIn = (identity: string): string[] => placement.get(identity) ?? [];
    const planDigestOf = (cluster: string, identity: string): string => (placedIn(identity).includes(cluster) ? "objects" : "none");
    const enqueuer = new KeyEnqueuer({ ...base, clusters: () => ["a", "b", "c", "d"], placedIn, planDigestOf, queues });
    enqueuer.identitiesChanged(["x"], "first: everywhere, objects from before may be anywhere");
    await enqueuer.flush();
    placement.set("x", ["a", "b"]);
    enqueuer.identitiesChanged(["x"], "placed in b too");
    await enqueuer.flush();
    placement.set("x", ["c"]);
    enqueuer.identitiesChanged(["x"], "moved to c: a and b must prune");
    await enqueuer.flush();
    placement.set("x", []);
    enqueuer.identitiesChanged(["x"], "gone: c must prune");
    await enqueuer.flush();
    enqueuer.identitiesChanged(["x"], "still gone: nothing to do anywhere");
    await enqueuer.flush();
    // a's plan did not change when x was placed in b too: only b gets a key.
    expect(queues.calls.map(keysOf)).toEqual([["a/x", "b/x", "c/x", "d/x"], ["b/x"], ["a/x", "b/x", "c/x"], ["c/x"]]);
  });

  it("leaves out a key whose plan digest is the one its last key carried, unless all changed", async () => {
    const queues = recorder();
    const digests = new Map<string, string>([["a", "1"], ["b", "1"]]);
    const enqueuer = new KeyEnqueuer({ ...base, planDigestOf: (cluster) => digests.get(cluster) ?? "", queues });
    enqueuer.identitiesChanged(["x"], "first");
    await enqueuer.flush();
    enqueuer.identitiesChanged(["x"], "one more ready endpoint: nothing to write anywhere");
    await enqueuer.flush();
    digests.set("b", "2");
    enqueuer.identitiesChanged(["x"], "b's objects change");
    await enqueuer.flush();
    enqueuer.allChanged("a cluster stopped being pending: held routes to release");
    await enqueuer.flush();
    expect(queues.calls.map(keysOf)).toEqual([["a/x", "b/x"], ["b/x"], ["a/x", "a/y", "a/z", "b/x", "b/y", "b/z"]]);
  });

  it("sends everything everywhere when all changed, whatever was placed before", async () => {
    const queues = recorder();
    const enqueuer = new KeyEnqueuer({ ...base, placedIn: () => [], queues });
    enqueuer.identitiesChanged(["x"], "first");
    await enqueuer.flush();
    enqueuer.allChanged("a cluster stopped being pending");
    await enqueuer.flush();
    expect(keysOf(queues.calls[1])).toEqual(["a/x", "a/y", "a/z", "b/x", "b/y", "b/z"]);
  });

  it("remembers a placement only once its keys are enqueued", async () => {
    const queues = recorder(1);
    const placement = new Map<string, string[]>([["x", ["a"]]]);
    const enqueuer = new KeyEnqueuer({ ...base, placedIn: (identity) => placement.get(identity) ?? [], queues });
    enqueuer.identitiesChanged(["x"], "refused by Redis");
    await enqueuer.flush();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await enqueuer.flush();
    // The retry is still the identity's first enqueue: everywhere.
    expect(queues.calls.map(keysOf)).toEqual([["a/x", "b/x"]]);
  });

  it("forgets a cluster's digests when it leaves, so its keys go out again when it is back", async () => {
    const queues = recorder();
    const enqueuer = new KeyEnqueuer({ ...base, queues });
    enqueuer.identitiesChanged(["x"], "first");
    await enqueuer.flush();
    enqueuer.clustersChanged(["a"]);
    enqueuer.identitiesChanged(["x"], "b came back, its plan the same as before");
    await enqueuer.flush();
    expect(queues.calls.map(keysOf)).toEqual([["a/x", "b/x"], ["b/x"]]);
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
