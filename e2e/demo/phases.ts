// The demo's numbered phases: each says what it starts, then what it got and how long it took; the
// durations are summed up at the end. Once the demo is being stopped (a signal), no phase starts or
// reports any more.

/** Thrown instead of starting or reporting a phase while the demo is being stopped. */
export class StoppingError extends Error {
  override readonly name = "StoppingError";
}

export class Phases {
  readonly #durations: { name: string; ms: number }[] = [];
  readonly #started = Date.now();

  constructor(
    private readonly total: number,
    private readonly print: (line: string) => void,
    private readonly stopping: () => boolean,
  ) {}

  /** Prints `[n/total] <announce> …`, runs `work`, then prints `      <describe(result)> (12.3 s)`. */
  async run<T>(name: string, announce: string, work: () => Promise<T>, describe: (result: T) => string): Promise<T> {
    if (this.stopping()) throw new StoppingError(`Not starting ${name}: stopping`);
    const started = Date.now();
    this.print(`[${this.#durations.length + 1}/${this.total}] ${announce} …`);
    const result = await work();
    if (this.stopping()) throw new StoppingError(`Stopping after ${name}`);
    const ms = Date.now() - started;
    this.#durations.push({ name, ms });
    this.print(`      ${describe(result)} (${seconds(ms)})`);
    return result;
  }

  summary(): string {
    const parts = this.#durations.map(({ name, ms }) => `${name} ${seconds(ms)}`);
    return `${parts.join(" · ")} · total ${seconds(Date.now() - this.#started)}`;
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
