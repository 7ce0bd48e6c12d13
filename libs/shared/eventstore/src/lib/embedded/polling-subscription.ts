import type { BatchHandler, RecordedEvent, Subscription } from '../event-store.port';
import type { ResolvedSubscribeOptions } from '../limits';

/** Reads at most `maxCount` events with position > `after`, in position order. */
export type PageReader = (after: bigint, maxCount: number) => RecordedEvent[] | Promise<RecordedEvent[]>;

/**
 * A $all subscription for stores that can be read by position but cannot push: catch-up in pages of `batchSize`,
 * then live by polling every `pollIntervalMs`, or sooner when `wake()` signals a local append.
 *
 * Back-pressure is structural: one loop reads a page, awaits the handler, and only then reads the next page, so at
 * most one batch is in memory and in flight. A handler error ends the loop and rejects `done` with that error; the
 * subscription never skips a batch it failed to handle, and the caller restarts from `lastPosition`.
 */
export class PollingSubscription implements Subscription {
  readonly done: Promise<void>;
  private stopRequested = false;
  private last: bigint | undefined;
  private pendingSleep: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  constructor(
    private readonly readPage: PageReader,
    private readonly handler: BatchHandler,
    private readonly options: ResolvedSubscribeOptions,
    onFinished: (subscription: PollingSubscription) => void,
  ) {
    if (typeof handler !== 'function') throw new TypeError('subscribeToAll needs a batch handler function');
    this.done = this.run().finally(() => onFinished(this));
  }

  get lastPosition(): bigint | undefined {
    return this.last;
  }

  /** Ends the subscription after the batch in flight (if any) settles. Never rejects; `done` carries failures. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.wake();
    await this.done.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Cuts the current poll interval short: new events were just appended by this process. */
  wake(): void {
    const sleeping = this.pendingSleep;
    if (!sleeping) return;
    this.pendingSleep = undefined;
    clearTimeout(sleeping.timer);
    sleeping.resolve();
  }

  private async run(): Promise<void> {
    let after = this.options.after;
    while (!this.stopRequested) {
      const page = await this.readPage(after, this.options.batchSize);
      if (page.length === 0) {
        await this.sleep(this.options.pollIntervalMs);
        continue;
      }
      await this.handler(page);
      after = page[page.length - 1].position;
      this.last = after;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopRequested) return Promise.resolve();
    return new Promise((resolve) => {
      this.pendingSleep = { timer: setTimeout(() => this.wake(), ms), resolve };
    });
  }
}
