import type { Decider } from '@smilepay/shared/domain';
import type { EventMetadata, EventStore, ExpectedState, NewEvent, RecordedEvent } from './event-store.port';
import { WrongExpectedVersionError } from './errors';
import { LruCache } from './lru-cache';

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
  /**
   * Folded states kept in memory (LRU, keyed by stream, each with the revision it was folded up to); 0 or absent
   * keeps none. A cached state is never trusted blindly: the append carries its revision as the expected state, so
   * a stale one fails the append and is caught up from that revision; a refusal or a no-op decided on it is decided
   * again on the caught-up state before it reaches the caller.
   */
  stateCacheSize?: number;
}

export interface HandleOptions {
  /**
   * The caller expects the stream not to exist yet (a fresh id): decide on the initial state and append with
   * `no_stream` without reading first. If the stream does exist, the append fails and the stream is read and
   * decided again, so the answer is the same as with a read, only cheaper when the guess is right.
   */
  assumeNoStream?: boolean;
}

/** A folded state and the revision it includes. `fresh`: read from the store by this call, not taken from memory. */
interface Snapshot<State> {
  state: State;
  revision: bigint | undefined;
  fresh: boolean;
}

/**
 * Reads a stream, folds evolve, calls decide and appends with the expected revision.
 * On a concurrent write it reloads and decides again, at most `maxAttempts` times.
 */
export class CommandHandler<Command, Event, State> {
  private readonly maxAttempts: number;
  private readonly cache: LruCache<string, { state: State; revision: bigint | undefined }> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, Event, State>,
    private readonly codec: EventCodec<Event>,
    options: CommandHandlerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    const cacheSize = options.stateCacheSize ?? 0;
    this.cache = cacheSize > 0 ? new LruCache(cacheSize) : undefined;
  }

  /**
   * The stream's state. Read from the store unless `allowCached` and the state is in memory: only for states that
   * can no longer change in a way the caller cares about (a claim, once made, is final).
   */
  async load(
    streamId: string,
    options: { allowCached?: boolean } = {},
  ): Promise<{ state: State; revision: bigint | undefined }> {
    const cached = options.allowCached ? this.cache?.get(streamId) : undefined;
    if (cached !== undefined) return { state: cached.state, revision: cached.revision };
    const { state, revision } = await this.catchUp(streamId, {
      state: this.decider.initialState(),
      revision: undefined,
      fresh: false,
    });
    return { state, revision };
  }

  async handle(
    streamId: string,
    command: Command,
    metadata: EventMetadata,
    options: HandleOptions = {},
  ): Promise<HandleResult<Event, State>> {
    let snapshot = await this.startingPoint(streamId, options);
    for (let attempt = 1; ; attempt++) {
      const decided = await this.decideOn(streamId, command, snapshot);
      snapshot = decided.snapshot;
      const { state, revision } = snapshot;
      const newEvents = decided.newEvents;
      if (newEvents.length === 0) return { newEvents, state, revision, position: undefined };
      const expectedState: ExpectedState = revision === undefined ? 'no_stream' : revision;
      const records: NewEvent[] = newEvents.map((event) => ({ ...this.codec.encode(event), metadata }));
      try {
        const result = await this.store.append(streamId, records, { expectedState });
        const next = newEvents.reduce((s, e) => this.decider.evolve(s, e), state);
        this.cache?.set(streamId, { state: next, revision: result.nextExpectedRevision });
        return { newEvents, state: next, revision: result.nextExpectedRevision, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (attempt >= this.maxAttempts) throw new ConcurrencyConflictError(streamId, attempt);
        snapshot = await this.catchUp(streamId, snapshot);
      }
    }
  }

  private async startingPoint(streamId: string, options: HandleOptions): Promise<Snapshot<State>> {
    const cached = this.cache?.get(streamId);
    if (cached !== undefined) return { ...cached, fresh: false };
    if (options.assumeNoStream) return { state: this.decider.initialState(), revision: undefined, fresh: false };
    return this.catchUp(streamId, { state: this.decider.initialState(), revision: undefined, fresh: false });
  }

  /**
   * Decides on a fresh state as is. On a remembered (possibly stale) state, only a decision to append is kept: the
   * append's expected revision will catch staleness. A refusal or a no-op may be an artefact of missing events, so
   * the stream is caught up and the command decided again on what the store holds.
   */
  private async decideOn(
    streamId: string,
    command: Command,
    snapshot: Snapshot<State>,
  ): Promise<{ newEvents: Event[]; snapshot: Snapshot<State> }> {
    if (!snapshot.fresh) {
      try {
        const newEvents = this.decider.decide(command, snapshot.state);
        if (newEvents.length > 0) return { newEvents, snapshot };
      } catch {
        // Decided again below on the caught-up state, which either refuses the same way or does not.
      }
      snapshot = await this.catchUp(streamId, snapshot);
    }
    return { newEvents: this.decider.decide(command, snapshot.state), snapshot };
  }

  /** Reads the events after `from.revision` and folds them onto its state; the result is fresh and cached. */
  private async catchUp(streamId: string, from: Snapshot<State>): Promise<Snapshot<State>> {
    const fromRevision = from.revision === undefined ? 0n : from.revision + 1n;
    const records = await this.store.readStream(streamId, { fromRevision });
    let state = from.state;
    for (const record of records) {
      const event = this.codec.decode(record);
      if (event !== undefined) state = this.decider.evolve(state, event);
    }
    const revision = records.length > 0 ? records[records.length - 1].revision : from.revision;
    if (revision !== undefined) this.cache?.set(streamId, { state, revision });
    return { state, revision, fresh: true };
  }
}
