// A small token bucket: `burst` writes at once, then `perSecond` on average. The clock is injected
// (ms); waiting is done by the caller's `sleep`, so tests need no timers.

export interface WriteLimit {
  readonly perSecond: number;
  readonly burst: number;
}

export class TokenBucket {
  private readonly limit: WriteLimit;
  private readonly clock: () => number;
  private tokens: number;
  private updatedAt: number;

  constructor(limit: WriteLimit, clock: () => number) {
    this.limit = limit;
    this.clock = clock;
    this.tokens = limit.burst;
    this.updatedAt = clock();
  }

  /** Takes a token and returns 0, or returns how many ms to wait before trying again. */
  take(): number {
    const now = this.clock();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.limit.burst, this.tokens + (elapsed * this.limit.perSecond) / 1000);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.limit.perSecond);
  }
}
