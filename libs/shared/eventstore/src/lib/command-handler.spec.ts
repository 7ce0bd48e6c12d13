import type { Decider } from '@smilepay/shared/domain';
import { CommandHandler, ConcurrencyConflictError, type EventCodec } from './command-handler';
import { SqliteEventStore } from './embedded/sqlite-event-store';
import type { EventMetadata, RecordedEvent } from './event-store.port';
import { freshStream } from './event-store.contract';
import { verifyStreamChain } from './hash-chain';

// A small counter aggregate: enough to drive the handler's read, fold, decide, append and retry through the real store.
type Command = { type: 'Add'; amount: number };
type Event = { type: 'Added'; amount: number };
type State = { total: number };

const counter: Decider<Command, Event, State> = {
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.amount }),
  decide: (command) => (command.amount === 0 ? [] : [{ type: 'Added', amount: command.amount }]),
};

const codec: EventCodec<Event> = {
  encode: (event) => ({ type: event.type, data: { amount: event.amount } }),
  decode: (record: RecordedEvent) =>
    record.type === 'Added' ? { type: 'Added', amount: (record.data as { amount: number }).amount } : undefined,
};

const metadata: EventMetadata = { correlationId: 'c', causationId: 'c', actor: 'system:test', schemaVersion: 1 };

describe('CommandHandler on the embedded store', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore(':memory:');
  });
  afterEach(() => store.close());

  it('appends decided events with the expected revision and returns the new state', async () => {
    const handler = new CommandHandler(store, counter, codec);
    const stream = freshStream('counter');
    await handler.handle(stream, { type: 'Add', amount: 2 }, metadata);
    const result = await handler.handle(stream, { type: 'Add', amount: 3 }, metadata);
    expect(result).toMatchObject({ state: { total: 5 }, revision: 1n, newEvents: [{ type: 'Added', amount: 3 }] });
    expect(verifyStreamChain(await store.readStream(stream)).ok).toBe(true);
  });

  it('appends nothing when the decider decides nothing', async () => {
    const handler = new CommandHandler(store, counter, codec);
    const stream = freshStream('counter');
    const result = await handler.handle(stream, { type: 'Add', amount: 0 }, metadata);
    expect(result).toEqual({ newEvents: [], state: { total: 0 }, revision: undefined, position: undefined });
    expect(await store.readStream(stream)).toEqual([]);
  });

  it('reloads and decides again when a concurrent writer got there first', async () => {
    const handler = new CommandHandler(store, counter, codec);
    const stream = freshStream('counter');
    // Both calls load the empty stream before either appends; the second must retry on the first's event.
    const results = await Promise.all(
      [1, 10].map((amount) => handler.handle(stream, { type: 'Add', amount }, metadata)),
    );
    expect(results.map((result) => result.state.total).sort((a, b) => a - b)).toEqual([1, 11]);
    expect((await handler.load(stream)).state).toEqual({ total: 11 });
  });

  it('gives up with ConcurrencyConflictError after maxAttempts lost races', async () => {
    const handler = new CommandHandler(store, counter, codec, { maxAttempts: 1 });
    const stream = freshStream('counter');
    const outcomes = await Promise.allSettled(
      [1, 10].map((amount) => handler.handle(stream, { type: 'Add', amount }, metadata)),
    );
    const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(failures).toHaveLength(1);
    expect(failures[0].reason).toBeInstanceOf(ConcurrencyConflictError);
    expect(failures[0].reason.message).toBe(`stream ${stream}: gave up after 1 concurrent-write conflicts`);
  });

  describe('with a state cache', () => {
    // A decider that refuses to go over a limit: a refusal decided on a stale state must not reach the caller.
    const capped: Decider<Command, Event, State> = {
      ...counter,
      decide: (command, state) => {
        if (state.total + command.amount > 10) throw new RangeError(`over the cap at ${state.total}`);
        return counter.decide(command, state);
      },
    };

    it('decides on the remembered state without reading, and the append checks it is current', async () => {
      const cached = new CommandHandler(store, counter, codec, { stateCacheSize: 10 });
      const stream = freshStream('counter');
      await cached.handle(stream, { type: 'Add', amount: 2 }, metadata);
      const reads = jest.spyOn(store, 'readStream');
      const result = await cached.handle(stream, { type: 'Add', amount: 3 }, metadata);
      expect(reads).not.toHaveBeenCalled();
      expect(result).toMatchObject({ state: { total: 5 }, revision: 1n });
    });

    it('catches a stale state up from its revision when another writer appended meanwhile', async () => {
      const cached = new CommandHandler(store, counter, codec, { stateCacheSize: 10 });
      const other = new CommandHandler(store, counter, codec);
      const stream = freshStream('counter');
      await cached.handle(stream, { type: 'Add', amount: 1 }, metadata);
      await other.handle(stream, { type: 'Add', amount: 10 }, metadata);
      const result = await cached.handle(stream, { type: 'Add', amount: 100 }, metadata);
      expect(result).toMatchObject({ state: { total: 111 }, revision: 2n });
      expect((await other.load(stream)).state).toEqual({ total: 111 });
    });

    it('decides a refusal again on the current state before refusing', async () => {
      const cached = new CommandHandler(store, capped, codec, { stateCacheSize: 10 });
      const other = new CommandHandler(store, capped, codec);
      const stream = freshStream('counter');
      await cached.handle(stream, { type: 'Add', amount: 9 }, metadata);
      // Here the cached state (9) would refuse 2, but the stream holds 9 and then -5: the truth is 4.
      await other.handle(stream, { type: 'Add', amount: -5 }, metadata);
      await expect(cached.handle(stream, { type: 'Add', amount: 2 }, metadata)).resolves.toMatchObject({
        state: { total: 6 },
      });
      await expect(cached.handle(stream, { type: 'Add', amount: 5 }, metadata)).rejects.toThrow('over the cap at 6');
    });

    it('keeps at most stateCacheSize states', async () => {
      const cached = new CommandHandler(store, counter, codec, { stateCacheSize: 1 });
      const [first, second] = [freshStream('counter'), freshStream('counter')];
      await cached.handle(first, { type: 'Add', amount: 1 }, metadata);
      await cached.handle(second, { type: 'Add', amount: 1 }, metadata);
      const reads = jest.spyOn(store, 'readStream');
      await cached.handle(first, { type: 'Add', amount: 1 }, metadata);
      expect(reads).toHaveBeenCalledTimes(1);
    });
  });

  describe('assuming a new stream', () => {
    it('appends with no_stream without reading first', async () => {
      const handler = new CommandHandler(store, counter, codec);
      const stream = freshStream('counter');
      const reads = jest.spyOn(store, 'readStream');
      const result = await handler.handle(stream, { type: 'Add', amount: 4 }, metadata, { assumeNoStream: true });
      expect(reads).not.toHaveBeenCalled();
      expect(result).toMatchObject({ state: { total: 4 }, revision: 0n });
    });

    it('reads and decides on the real state when the stream exists after all', async () => {
      const handler = new CommandHandler(store, counter, codec);
      const stream = freshStream('counter');
      await handler.handle(stream, { type: 'Add', amount: 4 }, metadata);
      const result = await handler.handle(stream, { type: 'Add', amount: 0 }, metadata, { assumeNoStream: true });
      expect(result).toMatchObject({ newEvents: [], state: { total: 4 }, revision: 0n });
      const added = await handler.handle(stream, { type: 'Add', amount: 1 }, metadata, { assumeNoStream: true });
      expect(added).toMatchObject({ state: { total: 5 }, revision: 1n });
      expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0n, 1n]);
    });
  });
});
