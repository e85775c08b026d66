// Capped exponential backoff with full jitter (delay drawn uniformly from 0 to min(cap, base·2^attempt)),
// for restarting watches: clusters that fail together do not retry in lockstep. Randomness is injected.

export interface BackoffOptions {
  /** The ceiling of the first attempt, in milliseconds (> 0). */
  readonly baseMs: number;
  /** The largest ceiling, in milliseconds (>= baseMs). */
  readonly capMs: number;
}

export const WATCH_RESTART_BACKOFF: BackoffOptions = Object.freeze({ baseMs: 500, capMs: 60_000 });

/** min(capMs, baseMs · 2^attempt): the largest delay `nextDelay` can return for `attempt`. */
export function backoffCeiling(attempt: number, options: BackoffOptions): number {
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new RangeError(`Backoff attempt must be a non-negative integer (got ${attempt})`);
  }
  if (!Number.isFinite(options.baseMs) || options.baseMs <= 0 || !Number.isFinite(options.capMs) || options.capMs < options.baseMs) {
    throw new RangeError(`Backoff needs 0 < baseMs <= capMs, both finite (got baseMs ${options.baseMs}, capMs ${options.capMs})`);
  }
  // 2^attempt overflows to Infinity past attempt 1023, which Math.min handles.
  return Math.min(options.capMs, options.baseMs * 2 ** attempt);
}

/**
 * The delay before retry number `attempt` (0 for the first retry): an integer number of milliseconds
 * in [0, backoffCeiling(attempt)]. `random` returns values in [0, 1), like Math.random.
 */
export function nextDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = backoffCeiling(attempt, options);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.floor(r * (ceiling + 1)), Math.floor(ceiling));
}
