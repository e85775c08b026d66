// Runs an async task every `intervalMs` until stopped, never two at once; a failing run is logged and
// the next one runs on time. Each run starts `intervalMs` after the previous one ended.
import type { Logger } from "pino";

export class Periodic {
  private timer: NodeJS.Timeout | undefined;
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

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
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
