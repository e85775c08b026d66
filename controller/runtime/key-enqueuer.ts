// The graph's change sink: it only collects identities (or "all") and, a few milliseconds later,
// enqueues one reconcile key per (member cluster, identity) for the clusters whose objects for that
// identity can change: where the plan places it now, and where it placed it when this replica last
// enqueued it (a cluster that no longer needs the identity must get the key to prune it). Of those,
// a key whose plan digest is the one its last key carried is left out: the change did not change what
// that cluster should have (one more ready endpoint, a caller's new pod), and the last key's reconcile
// made it so or is still to run. An identity this replica has not enqueued yet, and "all" (a cluster
// joined, left or stopped being pending: held routes to release), go to every cluster whatever the
// digests, so objects left from before a restart are found too. Nothing here writes.
import type { Logger } from "pino";

import type { GraphChangeSink } from "../../federation/graph/change-sink.js";
import type { EnqueueOptions, PlannedKey } from "../queue/index.js";

export interface EnqueueTarget {
  enqueue(keys: readonly PlannedKey[], cause: string, options?: EnqueueOptions): Promise<void>;
}

export interface KeyEnqueuerDeps {
  readonly queues: EnqueueTarget;
  /** The member clusters keys go to (those in the graph). */
  readonly clusters: () => readonly string[];
  /** Every identity the planner knows, for "all changed". */
  readonly identities: () => readonly string[];
  /** The clusters where the plan puts objects of the identity now. */
  readonly placedIn: (identity: string) => readonly string[];
  /** What this replica plans for a key now (planDigest), carried by the job. */
  readonly planDigestOf: (cluster: string, identity: string) => string;
  /** This replica's name, carried by the job as `enqueuedBy`. */
  readonly replica?: string;
  readonly log: Logger;
  /** Collects a burst of changes into one enqueue. Default 5 ms. */
  readonly delayMs?: number;
}

const RETRY_MS = 1_000;

export class KeyEnqueuer implements GraphChangeSink {
  private readonly pending = new Set<string>();
  private readonly causes = new Set<string>();
  /** Per identity, where the plan placed it at its last successful enqueue. */
  private readonly placed = new Map<string, ReadonlySet<string>>();
  /** Per `cluster/identity`, the plan digest of the last key enqueued for it. */
  private readonly digests = new Map<string, string>();
  private everything = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly deps: KeyEnqueuerDeps) {}

  identitiesChanged(identities: readonly string[], cause: string): void {
    for (const identity of identities) this.pending.add(identity);
    this.schedule(cause);
  }

  allChanged(cause: string): void {
    this.everything = true;
    this.schedule(cause);
  }

  /** Forgets the digests of clusters that left (one that comes back is enqueued everywhere: its first sync changes all). */
  clustersChanged(clusters: readonly string[]): void {
    const present = new Set(clusters);
    for (const key of this.digests.keys()) if (!present.has(key.slice(0, key.indexOf("/")))) this.digests.delete(key);
  }

  /** Enqueues whatever is pending now and waits for every enqueue so far. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.running = this.running.then(() => this.enqueuePending());
    }
    await this.running;
  }

  /** Stops accepting changes; pending ones are enqueued first. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private key(cluster: string, identity: string): PlannedKey & { readonly planDigest: string } {
    const key = { cluster, identity, planDigest: this.deps.planDigestOf(cluster, identity) };
    return this.deps.replica === undefined ? key : { ...key, enqueuedBy: this.deps.replica };
  }

  private schedule(cause: string, delayMs = this.deps.delayMs ?? 5): void {
    if (this.closed) return;
    this.causes.add(cause);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.running = this.running.then(() => this.enqueuePending());
    }, delayMs);
  }

  private async enqueuePending(): Promise<void> {
    const everywhere = this.everything;
    const identities = everywhere ? this.deps.identities() : [...this.pending];
    const cause = [...this.causes].slice(0, 3).join("; ") + (this.causes.size > 3 ? ` (+${this.causes.size - 3} more)` : "");
    this.pending.clear();
    this.causes.clear();
    this.everything = false;
    const clusters = this.deps.clusters();
    const placedNow = new Map(identities.map((identity) => [identity, new Set(this.deps.placedIn(identity))]));
    const targets = (identity: string): ReadonlySet<string> => {
      const before = this.placed.get(identity);
      return everywhere || before === undefined ? new Set(clusters) : new Set([...before, ...(placedNow.get(identity) ?? [])]);
    };
    const byIdentity = new Map(identities.map((identity) => [identity, targets(identity)]));
    const candidates = clusters.flatMap((cluster) => identities.filter((identity) => byIdentity.get(identity)?.has(cluster) === true).map((identity) => this.key(cluster, identity)));
    const keys = everywhere ? candidates : candidates.filter((key) => this.digests.get(`${key.cluster}/${key.identity}`) !== key.planDigest);
    try {
      if (keys.length > 0) await this.deps.queues.enqueue(keys, "watch");
      for (const [identity, now] of placedNow) this.placed.set(identity, now);
      for (const key of keys) this.digests.set(`${key.cluster}/${key.identity}`, key.planDigest);
      if (keys.length > 0) this.deps.log.debug({ keys: keys.length, unchanged: candidates.length - keys.length, identities: identities.slice(0, 5), cause }, "Enqueued reconciles");
    } catch (err) {
      // Redis is unreachable: keep the identities and try again shortly.
      this.deps.log.error({ err, keys: keys.length, cause }, "Could not enqueue reconciles; retrying in 1 s");
      for (const identity of identities) this.pending.add(identity);
      this.schedule(cause, RETRY_MS);
    }
  }
}
