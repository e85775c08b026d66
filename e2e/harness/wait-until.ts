// Polls a condition until it holds or a deadline passes.
import { setTimeout as sleep } from "node:timers/promises";

export interface WaitOptions {
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Gives up at once when this returns a reason (e.g. the process being waited for exited). */
  failIf?: () => string | undefined;
}

export class WaitTimeoutError extends Error {
  constructor(what: string, timeoutMs: number, lastError: unknown) {
    const detail = lastError instanceof Error ? `; last error: ${lastError.message}` : "";
    super(`Timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    this.name = "WaitTimeoutError";
  }
}

/** Calls `check` until it returns true; errors it throws count as "not yet". */
export async function waitUntil(check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = options.failIf?.();
    if (reason !== undefined) throw new Error(`Gave up waiting for ${options.what}: ${reason}`);
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new WaitTimeoutError(options.what, options.timeoutMs, lastError);
    await sleep(options.intervalMs ?? 100);
  }
}
