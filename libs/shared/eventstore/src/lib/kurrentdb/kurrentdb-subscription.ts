import {
  excludeSystemEvents,
  START,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import type { BatchHandler, RecordedEvent, Subscription } from '../event-store.port';
import type { ResolvedSubscribeOptions } from '../limits';
import { toRecordedEvent } from './kurrentdb-mapping';

/** How long stop() waits for the server to acknowledge a cancel before giving up on it. */
const UNSUBSCRIBE_TIMEOUT_MS = 5_000;

/**
 * A KurrentDB $all catch-up subscription with our batch semantics.
 *
 * The client's subscription is a Node Readable. We consume it in paused mode: on 'readable' we read() up to
 * `batchSize` events, hand them to the handler, and read nothing more until its promise settles. Unread events stay
 * in the client's stream (a Transform in object mode whose high-water mark we set to `batchSize` on both sides); once
 * it is full the client stops pulling from the gRPC stream and HTTP/2 flow control holds the server back. So memory
 * is bounded by a few batches and exactly one batch is ever in flight.
 */
export class KurrentDbSubscription implements Subscription {
  readonly done: Promise<void>;
  private readonly stream: AllStreamSubscription;
  private last: bigint | undefined;
  private lastTaken: bigint | undefined;
  private draining = false;
  private inFlight: Promise<void> | undefined;
  private finishing: Promise<void> | undefined;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };

  constructor(
    client: KurrentDBClient,
    private readonly handler: BatchHandler,
    private readonly options: ResolvedSubscribeOptions,
    private readonly describeError: (operation: string, error: unknown) => Error,
    onFinished: (subscription: KurrentDbSubscription) => void,
  ) {
    if (typeof handler !== 'function') throw new TypeError('subscribeToAll needs a batch handler function');
    this.done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject })).finally(() =>
      onFinished(this),
    );
    // Subscriptions start strictly after fromPosition. Commit and prepare positions of an event are equal for
    // KurrentDB's implicit transactions (every append since 20.x), so our single-number checkpoint rebuilds it.
    const after = options.after;
    const fromPosition = after < 0n ? START : { commit: after, prepare: after };
    this.stream = client.subscribeToAll(
      { fromPosition, filter: excludeSystemEvents() },
      { highWaterMark: options.batchSize },
    );
    this.stream.on('readable', () => void this.drain());
    this.stream.on('error', (error) => void this.finish(this.describeError('subscribeToAll', error)));
    this.stream.on('end', () => void this.finish(new Error('KurrentDB ended the $all subscription')));
  }

  get lastPosition(): bigint | undefined {
    return this.last;
  }

  /** Ends the subscription after the batch in flight (if any) settles. Never rejects; `done` carries failures. */
  async stop(): Promise<void> {
    await this.finish(undefined);
  }

  private async drain(): Promise<void> {
    if (this.draining || this.finishing) return;
    this.draining = true;
    try {
      while (!this.finishing) {
        const batch = this.takeBatch();
        if (batch.length === 0) break;
        this.inFlight = this.handler(batch);
        await this.inFlight;
        this.last = batch[batch.length - 1].position;
      }
    } catch (error) {
      void this.finish(error);
    } finally {
      this.inFlight = undefined;
      this.draining = false;
    }
  }

  /** Reads what is buffered, up to batchSize events. An empty result means the buffer is empty (read() gave null). */
  private takeBatch(): RecordedEvent[] {
    const batch: RecordedEvent[] = [];
    while (batch.length < this.options.batchSize) {
      const resolved = this.stream.read() as AllStreamResolvedEvent | null;
      if (resolved === null) break;
      const event = toRecordedEvent(resolved.event);
      if (event === undefined || event.position <= this.options.after) continue;
      if (this.lastTaken !== undefined && event.position <= this.lastTaken) {
        // Skipping it could lose an event, delivering it could break a projection's checkpoint: stop loudly.
        throw new Error(
          `KurrentDB delivered position ${event.position} after ${this.lastTaken}; positions must increase`,
        );
      }
      this.lastTaken = event.position;
      batch.push(event);
    }
    return batch;
  }

  private finish(error: unknown): Promise<void> {
    this.finishing ??= this.shutDown(error);
    return this.finishing;
  }

  private async shutDown(error: unknown): Promise<void> {
    await withTimeout(this.stream.unsubscribe(), UNSUBSCRIBE_TIMEOUT_MS).catch(() => undefined);
    // A batch in flight is allowed to settle before `done` does, so `lastPosition` is final when `done` settles.
    await this.inFlight?.catch(() => undefined);
    if (error === undefined) this.settle.resolve();
    else this.settle.reject(error);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
