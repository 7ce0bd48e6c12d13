/**
 * Lets at most `maxActive` tasks run at once and at most `maxWaiting` wait for a slot. A task that finds the
 * waiting line full is refused at once (`null`) instead of queueing: the caller turns that into a `frame_flood`
 * answer, so overload never turns into unbounded memory or unbounded latency.
 */
export class BoundedLimiter {
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(
    private readonly maxActive: number,
    private readonly maxWaiting: number,
  ) {}

  /** Runs the task when a slot frees up, or returns null without running it when the waiting line is full. */
  async run<T>(task: () => Promise<T>): Promise<{ value: T; waitedMs: number } | null> {
    const queuedAt = performance.now();
    if (this.#active >= this.maxActive) {
      if (this.#waiting.length >= this.maxWaiting) return null;
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#active++;
    }
    const waitedMs = performance.now() - queuedAt;
    try {
      return { value: await task(), waitedMs };
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter, so #active only drops when nobody is waiting.
      if (next) next();
      else this.#active--;
    }
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiting.length;
  }
}
