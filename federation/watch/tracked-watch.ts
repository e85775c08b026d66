// client-node's Watch, reporting what the watchdog needs to know (a watch request answered, a line
// received) and closable, so that a ListWatch left behind by a restart ends its loop instead of
// reconnecting. Also asks for bookmarks, which keep a quiet watch's resourceVersion fresh.

import { Watch } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";

export interface WatchHooks {
  /** Before each watch request; the first call means the initial list is in the cache. */
  connecting(): void;
  /** A watch request was answered (200): the watch is live. */
  connected(): void;
  /** A line arrived: an event or a bookmark. */
  received(): void;
}

type WatchArgs = Parameters<Watch["watch"]>;

export class TrackedWatch extends Watch {
  private closed = false;
  private readonly hooks: WatchHooks;

  constructor(config: KubeConfig, hooks: WatchHooks) {
    super(config);
    this.hooks = hooks;
  }

  /** Every later watch request returns at once without calling `done`, which ends the ListWatch's loop. */
  close(): void {
    this.closed = true;
  }

  override async watch(path: WatchArgs[0], queryParams: WatchArgs[1], callback: WatchArgs[2], done: WatchArgs[3]): Promise<AbortController> {
    if (this.closed) {
      return new AbortController();
    }
    this.hooks.connecting();
    let finished = false;
    const onLine: WatchArgs[2] = (phase, object, raw) => {
      this.hooks.received();
      callback(phase, object, raw);
    };
    const onDone: WatchArgs[3] = (err) => {
      finished = true;
      done(err);
    };
    const controller = await super.watch(path, { ...queryParams, allowWatchBookmarks: true }, onLine, onDone);
    if (this.closed) {
      controller.abort();
    } else if (!finished) {
      this.hooks.connected();
    }
    return controller;
  }
}
