// Everything the demo started, stopped once, newest first (the controller before the clusters it
// watches). Servers still starting when a stop begins are waited for and stopped too.
import { setTimeout as sleep } from "node:timers/promises";

interface Owned {
  readonly what: string;
  readonly stop: () => Promise<void>;
}

/** How long a stop waits for servers that are still starting (a control plane takes 5–15 s). */
const PENDING_GRACE_MS = 60_000;

export class Lifetime {
  readonly #owned: Owned[] = [];
  readonly #pending = new Set<Promise<unknown>>();
  readonly #late = new Set<Promise<void>>();
  #stopping: Promise<void> | undefined;
  /** Set once stop() has waited for the pending starts and is stopping what is owned. */
  #draining = false;
  #markStopped: () => void = () => undefined;
  /** Resolves once stop() has finished. */
  readonly stopped = new Promise<void>((resolve) => (this.#markStopped = resolve));

  constructor(private readonly report: (line: string) => void) {}

  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** Registers something to stop; once stop() is stopping what it owns, stops it right away. */
  own(what: string, stop: () => Promise<void>): void {
    if (this.#draining) this.#late.add(this.#stopOne({ what, stop }));
    else this.#owned.push({ what, stop });
  }

  /** Keeps a start that is in progress in view, so stop() waits for it to finish (then stops it). */
  track<T>(start: Promise<T>): Promise<T> {
    this.#pending.add(start);
    void start.then(
      () => this.#pending.delete(start),
      () => this.#pending.delete(start),
    );
    return start;
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stopAll();
    return this.#stopping;
  }

  async #stopAll(): Promise<void> {
    if (this.#pending.size > 0) {
      this.report(`  waiting for ${this.#pending.size} server(s) still starting, to stop them too`);
      await Promise.race([Promise.allSettled([...this.#pending]), sleep(PENDING_GRACE_MS, undefined, { ref: false })]);
    }
    this.#draining = true;
    for (const owned of this.#owned.splice(0).reverse()) await this.#stopOne(owned);
    await Promise.allSettled([...this.#late]);
    this.#markStopped();
  }

  async #stopOne(owned: Owned): Promise<void> {
    try {
      await owned.stop();
      this.report(`  stopped ${owned.what}`);
    } catch (err) {
      this.report(`  could not stop ${owned.what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
