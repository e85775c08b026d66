// Coalesces many "something changed" marks into one run of a task, off the event path: the first
// mark starts a timer, later marks before the run are absorbed, and a mark that arrives while the
// task runs causes exactly one more run afterwards.

export class Coalescer {
  private readonly task: () => void | Promise<void>;
  private readonly delayMs: number;
  private readonly onError: (err: unknown) => void;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private dirty = false;
  private stopped = false;

  constructor(task: () => void | Promise<void>, delayMs: number, onError: (err: unknown) => void) {
    this.task = task;
    this.delayMs = delayMs;
    this.onError = onError;
  }

  schedule(): void {
    if (this.stopped) {
      return;
    }
    this.dirty = true;
    if (this.timer === undefined && !this.running) {
      this.timer = setTimeout(() => void this.run(), this.delayMs);
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    this.dirty = false;
    this.running = true;
    try {
      await this.task();
    } catch (err) {
      this.onError(err);
    } finally {
      this.running = false;
    }
    if (this.dirty) {
      this.dirty = false;
      this.schedule();
    }
  }
}
