import type { Decider } from '@smilepay/shared/domain';
import type { EventMetadata, EventStore, ExpectedState, NewEvent, RecordedEvent } from './event-store.port';
import { WrongExpectedVersionError } from './errors';

/** Maps between a decider's typed events and the store's JSON records. */
export interface EventCodec<Event> {
  encode(event: Event): { type: string; data: unknown };
  /** Returns undefined for event types this decider does not know (they are skipped on fold). */
  decode(record: RecordedEvent): Event | undefined;
}

export interface HandleResult<Event, State> {
  /** Events appended by this call (empty when the decider decided nothing needed to change). */
  newEvents: Event[];
  state: State;
  /** Revision of the stream's last event after the call, or undefined if the stream still does not exist. */
  revision: bigint | undefined;
  position: bigint | undefined;
}

/** Too many concurrent writers: the command lost the optimistic race `attempts` times in a row. */
export class ConcurrencyConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super(`stream ${streamId}: gave up after ${attempts} concurrent-write conflicts`);
    this.name = 'ConcurrencyConflictError';
  }
}

export interface CommandHandlerOptions {
  /** Optimistic-concurrency attempts before giving up (bounded: every retry has a limit). */
  maxAttempts?: number;
}

/**
 * Reads a stream, folds evolve, calls decide and appends with the expected revision.
 * On a concurrent write it reloads and decides again, at most `maxAttempts` times.
 */
export class CommandHandler<Command, Event, State> {
  private readonly maxAttempts: number;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, Event, State>,
    private readonly codec: EventCodec<Event>,
    options: CommandHandlerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  async load(streamId: string): Promise<{ state: State; revision: bigint | undefined }> {
    const records = await this.store.readStream(streamId);
    let state = this.decider.initialState();
    for (const record of records) {
      const event = this.codec.decode(record);
      if (event !== undefined) state = this.decider.evolve(state, event);
    }
    const last = records[records.length - 1];
    return { state, revision: last?.revision };
  }

  async handle(streamId: string, command: Command, metadata: EventMetadata): Promise<HandleResult<Event, State>> {
    for (let attempt = 1; ; attempt++) {
      const { state, revision } = await this.load(streamId);
      const newEvents = this.decider.decide(command, state);
      if (newEvents.length === 0) return { newEvents, state, revision, position: undefined };
      const expectedState: ExpectedState = revision === undefined ? 'no_stream' : revision;
      const records: NewEvent[] = newEvents.map((event) => ({ ...this.codec.encode(event), metadata }));
      try {
        const result = await this.store.append(streamId, records, { expectedState });
        const next = newEvents.reduce((s, e) => this.decider.evolve(s, e), state);
        return { newEvents, state: next, revision: result.nextExpectedRevision, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (attempt >= this.maxAttempts) throw new ConcurrencyConflictError(streamId, attempt);
      }
    }
  }
}
