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
});
