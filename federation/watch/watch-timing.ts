// How watches are restarted and supervised. Passed down as an argument; nothing reads the clock or
// randomness directly, so tests can drive both.

import { WATCH_RESTART_BACKOFF } from "../backoff.js";
import type { BackoffOptions } from "../backoff.js";

export interface WatchTiming {
  /** Delays before restarting a failed watch: capped exponential with full jitter. */
  readonly backoff: BackoffOptions;
  /**
   * A watch with no event and no successful (re)connect for this long is restarted. client-node
   * reconnects a quiet watch about every 30 s, so a healthy watch is never silent for 90 s.
   */
  readonly silentMs: number;
  /** Deadline of each list request. */
  readonly listTimeoutMs: number;
  /** In [0, 1), like Math.random: the jitter. */
  readonly random: () => number;
  /** Milliseconds since the epoch, like Date.now. */
  readonly now: () => number;
}

export const DEFAULT_WATCH_TIMING: WatchTiming = Object.freeze({
  backoff: WATCH_RESTART_BACKOFF,
  silentMs: 90_000,
  listTimeoutMs: 60_000,
  random: Math.random,
  now: Date.now,
});
