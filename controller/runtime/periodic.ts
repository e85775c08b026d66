// Runs an async task every `intervalMs` until stopped, never two at once; a failing run is logged and
// the next one runs on time. Each run starts `intervalMs` after the previous one ended.
import type { Logger } from "pino";

export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  /** The one extra run asked for with runAt, and when. */
  private wake: NodeJS.Timeout | undefined;
  private wakeAt: number | undefined;
  private current: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly what: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.schedule();
  }

  /** Runs the task now (after a running one), outside the schedule. */
  runNow(): Promise<void> {
    this.current = this.current.then(() => this.runOnce());
    return this.current;
  }

  /**
   * Also runs the task at `at` (ms since the epoch), for something due between two scheduled runs.
   * Only a future time counts (a past one is the schedule's to catch), and only the earliest one
   * asked for is kept.
   */
  runAt(at: number, now: number = Date.now()): void {
    if (this.stopped || at <= now || (this.wakeAt !== undefined && this.wakeAt <= at)) return;
    clearTimeout(this.wake);
    this.wakeAt = at;
    this.wake = setTimeout(() => {
      this.wakeAt = undefined;
      void this.runNow();
    }, at - now);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    clearTimeout(this.wake);
    await this.current;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runNow().then(() => this.schedule());
    }, this.intervalMs);
  }

  private async runOnce(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.task();
    } catch (err) {
      this.log.warn({ err }, `Periodic task failed: ${this.what}`);
    }
  }
}
