/**
 * The event store contract: every adapter of the port runs this same suite (sqlite-event-store.spec.ts,
 * kurrentdb-event-store.spec.ts). Test-only: it registers jest tests, so it is excluded from the library build and
 * from src/index.ts.
 *
 * Stores may hold other data (a shared KurrentDB server), so every test writes to its own fresh streams and reads
 * $all from the head position it saw when it started.
 */
import { randomUUID } from 'node:crypto';
import { WrongExpectedVersionError } from './errors';
import type { EventMetadata, EventStore, NewEvent, RecordedEvent, Subscription } from './event-store.port';
import { computeEventHash, verifyStreamChain } from './hash-chain';

export type EventStoreFactory = () => EventStore | Promise<EventStore>;

const metadata: EventMetadata = {
  correlationId: 'corr-1',
  causationId: 'cause-1',
  actor: 'system:contract',
  schemaVersion: 1,
};

export function newEvent(n: number, data: Record<string, unknown> = {}): NewEvent {
  return { type: 'ContractEventHappened', data: { n, ...data }, metadata };
}

export function events(count: number, from = 0): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent(from + i));
}

/** `<category>-<id>` with no '-' in the category, like every smilepay stream. */
export function freshStream(category = 'contract_test'): string {
  return `${category}-${randomUUID()}`;
}

export async function waitFor(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Collects what a subscription delivers for the given streams only (a shared store may carry other traffic). */
class Recorder {
  readonly batches: RecordedEvent[][] = [];
  constructor(private readonly streams: Set<string>) {}
  get events(): RecordedEvent[] {
    return this.batches.flat().filter((event) => this.streams.has(event.streamId));
  }
  handler = async (batch: RecordedEvent[]) => {
    this.batches.push(batch);
  };
}

/** What each group of contract tests gets: the store of the current test, and a way to stop subscriptions after it. */
interface ContractContext {
  store(): EventStore;
  track(subscription: Subscription): Subscription;
}

export function describeEventStoreContract(name: string, factory: EventStoreFactory): void {
  describe(`${name}: event store contract`, () => {
    let store: EventStore;
    const subscriptions: Subscription[] = [];
    const track = (subscription: Subscription) => (subscriptions.push(subscription), subscription);
    const context: ContractContext = { store: () => store, track };

    beforeEach(async () => {
      store = await factory();
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
      await store.close();
    });

    describe('append and readStream', () => appendAndReadTests(context));
    describe('expected state', () => expectedStateTests(context));
    describe('concurrent writers', () => concurrencyTests(context));
    describe('atomicity and validation', () => atomicityAndValidationTests(context));
    describe('readAll', () => readAllTests(context));
    describe('subscribeToAll delivery', () => subscriptionTests(context));
    describe('subscribeToAll stop and failure', () => subscriptionLifecycleTests(context));
    describe('hash chain', () => hashChainTests(context));
  });
}

function appendAndReadTests(context: ContractContext): void {
  let store: EventStore;
  beforeEach(() => {
    store = context.store();
  });

  it('stores events with consecutive revisions, increasing positions, ids, metadata and a commit time', async () => {
    const stream = freshStream();
    const before = Date.now();
    const result = await store.append(stream, events(3), { expectedState: 'no_stream' });
    const read = await store.readStream(stream);
    expect(read.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
    expect(read.map((event) => event.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(read.every((event) => event.streamId === stream && event.type === 'ContractEventHappened')).toBe(true);
    expect(read[0].position < read[1].position && read[1].position < read[2].position).toBe(true);
    expect(new Set(read.map((event) => event.id)).size).toBe(3);
    expect(read[0].metadata).toEqual(metadata);
    expect(Date.parse(read[0].recordedAt)).toBeGreaterThanOrEqual(before - 5_000);
    expect(result).toEqual({ nextExpectedRevision: 2n, position: read[2].position });
    expect(await store.headPosition()).toBeGreaterThanOrEqual(read[2].position);
  });

  it('keeps a caller-chosen event id', async () => {
    const stream = freshStream();
    const id = randomUUID();
    await store.append(stream, [{ ...newEvent(1), id }], { expectedState: 'any' });
    expect((await store.readStream(stream))[0].id).toBe(id);
  });

  it('reads a stream that was never written as empty', async () => {
    expect(await store.readStream(freshStream())).toEqual([]);
  });

  it('reads forwards from a revision with a maximum count', async () => {
    const stream = freshStream();
    await store.append(stream, events(6), { expectedState: 'no_stream' });
    const read = await store.readStream(stream, { fromRevision: 2n, maxCount: 3 });
    expect(read.map((event) => event.revision)).toEqual([2n, 3n, 4n]);
  });

  it('reads backwards from the end, or from a revision, with a maximum count', async () => {
    const stream = freshStream();
    await store.append(stream, events(5), { expectedState: 'no_stream' });
    const fromEnd = await store.readStream(stream, { direction: 'backwards', maxCount: 2 });
    expect(fromEnd.map((event) => event.revision)).toEqual([4n, 3n]);
    const fromTwo = await store.readStream(stream, { direction: 'backwards', fromRevision: 2n });
    expect(fromTwo.map((event) => event.revision)).toEqual([2n, 1n, 0n]);
  });

  it('round-trips metadata and nested JSON data unchanged', async () => {
    const stream = freshStream();
    const richMetadata: EventMetadata = {
      correlationId: 'c-ü',
      causationId: '',
      actor: 'analyst:é🙂',
      schemaVersion: 3,
    };
    const data = {
      amount: '12345678901234567890.12',
      currency: 'EUR',
      legs: [{ debit: 'a', credit: 'b', flags: [] }, null, true, 0.5, -3],
      note: 'line\nbreak "quoted" \\ back',
      nested: { z: 1, a: { deep: [1, [2, [3]]] } },
    };
    await store.append(stream, [{ type: 'RichEvent', data, metadata: richMetadata }], { expectedState: 'any' });
    const [read] = await store.readStream(stream);
    expect(read.data).toEqual(data);
    expect(read.metadata).toEqual(richMetadata);
  });
}

function expectedStateTests(context: ContractContext): void {
  let store: EventStore;
  beforeEach(() => {
    store = context.store();
  });

  it('no_stream: succeeds on a new stream and conflicts on an existing one', async () => {
    const stream = freshStream();
    await store.append(stream, events(1), { expectedState: 'no_stream' });
    const failure = store.append(stream, events(1), { expectedState: 'no_stream' });
    await expect(failure).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(failure).rejects.toMatchObject({ streamId: stream, expected: 'no_stream', actual: 0n });
  });

  it('stream_exists: conflicts on a new stream and succeeds on an existing one', async () => {
    const stream = freshStream();
    const failure = store.append(stream, events(1), { expectedState: 'stream_exists' });
    await expect(failure).rejects.toMatchObject({ name: 'WrongExpectedVersionError', actual: 'no_stream' });
    await store.append(stream, events(1), { expectedState: 'no_stream' });
    const result = await store.append(stream, events(1), { expectedState: 'stream_exists' });
    expect(result.nextExpectedRevision).toBe(1n);
  });

  it('exact revision: succeeds at the last revision and conflicts at any other', async () => {
    const stream = freshStream();
    const first = await store.append(stream, events(2), { expectedState: 'no_stream' });
    expect(first.nextExpectedRevision).toBe(1n);
    await expect(store.append(stream, events(1), { expectedState: 0n })).rejects.toMatchObject({
      expected: 0n,
      actual: 1n,
    });
    await expect(store.append(stream, events(1), { expectedState: 2n })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    const second = await store.append(stream, events(1), { expectedState: 1n });
    expect(second.nextExpectedRevision).toBe(2n);
  });

  it('exact revision on a missing stream conflicts with actual no_stream', async () => {
    await expect(store.append(freshStream(), events(1), { expectedState: 0n })).rejects.toMatchObject({
      actual: 'no_stream',
    });
  });

  it('any: appends whatever the state', async () => {
    const stream = freshStream();
    await store.append(stream, events(1), { expectedState: 'any' });
    const result = await store.append(stream, events(1), { expectedState: 'any' });
    expect(result.nextExpectedRevision).toBe(1n);
  });

  it('a failed append writes nothing', async () => {
    const stream = freshStream();
    await store.append(stream, events(2), { expectedState: 'no_stream' });
    const head = await store.headPosition();
    await expect(store.append(stream, events(3, 10), { expectedState: 5n })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    await expect(store.append(stream, events(3, 10), { expectedState: 'no_stream' })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    expect((await store.readStream(stream)).map((event) => event.data)).toEqual([{ n: 0 }, { n: 1 }]);
    expect(await store.headPosition()).toBe(head);
  });
}

function concurrencyTests(context: ContractContext): void {
  let store: EventStore;
  beforeEach(() => {
    store = context.store();
  });

  it('of concurrent appends at the same expected revision, exactly one wins', async () => {
    const stream = freshStream();
    await store.append(stream, events(1), { expectedState: 'no_stream' });
    const attempts = Array.from({ length: 8 }, (_, i) =>
      store.append(stream, [newEvent(100 + i)], { expectedState: 0n }),
    );
    const outcomes = await Promise.allSettled(attempts);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((outcome) => outcome.reason instanceof WrongExpectedVersionError)).toBe(true);
    const read = await store.readStream(stream);
    expect(read).toHaveLength(2);
    expect(verifyStreamChain(read).ok).toBe(true);
  });

  it('concurrent appends with any all land, and the chain stays linked', async () => {
    const stream = freshStream();
    await Promise.all([0, 1, 2].map((i) => store.append(stream, [newEvent(i)], { expectedState: 'any' })));
    const read = await store.readStream(stream);
    expect(read.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
    expect(verifyStreamChain(read)).toMatchObject({ ok: true, eventsChecked: 3 });
  });
}

function atomicityAndValidationTests(context: ContractContext): void {
  let store: EventStore;
  beforeEach(() => {
    store = context.store();
  });

  it('writes a multi-event append as one unit at consecutive revisions', async () => {
    const stream = freshStream();
    await store.append(stream, events(4), { expectedState: 'no_stream' });
    const page = await store.readAll({ after: (await store.readStream(stream))[0].position - 1n, maxCount: 4 });
    expect(page.events.map((event) => `${event.streamId}@${event.revision}`)).toEqual(
      [0, 1, 2, 3].map((revision) => `${stream}@${revision}`),
    );
  });

  it('writes nothing when one event of an append is invalid', async () => {
    const stream = freshStream();
    const bad = [newEvent(0), newEvent(1), { ...newEvent(2), data: { amount: 10n } }];
    await expect(store.append(stream, bad, { expectedState: 'any' })).rejects.toThrow(/amount.*bigint/);
    expect(await store.readStream(stream)).toEqual([]);
  });

  it('refuses malformed appends and reads with clear errors', async () => {
    const stream = freshStream();
    await expect(store.append(stream, [], { expectedState: 'any' })).rejects.toThrow(RangeError);
    await expect(store.append(stream, [{ ...newEvent(0), type: '$system' }], { expectedState: 'any' })).rejects.toThrow(
      /reserved/,
    );
    await expect(store.append('$all', events(1), { expectedState: 'any' })).rejects.toThrow(/reserved/);
    const noMetadata = { type: 'X', data: {} } as unknown as NewEvent;
    await expect(store.append(stream, [noMetadata], { expectedState: 'any' })).rejects.toThrow(/metadata/);
    await expect(store.append(stream, events(1), { expectedState: -1n })).rejects.toThrow(RangeError);
    await expect(store.readAll({ maxCount: 0 })).rejects.toThrow(RangeError);
    await expect(store.readAll({ maxCount: 10_001 })).rejects.toThrow(RangeError);
    expect(() => store.subscribeToAll(async () => undefined, { batchSize: 10_001 })).toThrow(RangeError);
    expect(await store.readStream(stream)).toEqual([]);
  });
}

function readAllTests(context: ContractContext): void {
  let store: EventStore;
  beforeEach(() => {
    store = context.store();
  });

  it('pages after a position until the end', async () => {
    const start = await store.headPosition();
    const stream = freshStream();
    await store.append(stream, events(4), { expectedState: 'no_stream' });
    await store.append(stream, events(3, 4), { expectedState: 3n });
    const pages = [];
    let after = start;
    for (let i = 0; i < 10; i++) {
      const page = await store.readAll({ after, maxCount: 3 });
      pages.push(page);
      after = page.lastPosition;
      if (page.isEnd) break;
    }
    expect(pages.map((page) => page.events.length)).toEqual([3, 3, 1]);
    const read = pages.flatMap((page) => page.events);
    expect(read.map((event) => event.data)).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => ({ n })));
    expect(read.map((event) => event.position)).toEqual(
      (await store.readStream(stream)).map((event) => event.position),
    );
    expect(pages[0].lastPosition).toBe(read[2].position);
    const empty = await store.readAll({ after: pages[2].lastPosition, maxCount: 3 });
    expect(empty).toEqual({ events: [], lastPosition: pages[2].lastPosition, isEnd: true });
  });

  it('reads from the beginning when after is omitted', async () => {
    await store.append(freshStream(), events(1), { expectedState: 'any' });
    const page = await store.readAll({ maxCount: 1 });
    expect(page.events).toHaveLength(1);
    expect(page.events[0].position).toBeGreaterThanOrEqual(0n);
  });
}

function subscriptionTests(context: ContractContext): void {
  let store: EventStore;
  beforeEach(() => {
    store = context.store();
  });

  const track = context.track;

  it('catches up on stored events, then delivers live ones, in order and once', async () => {
    const start = await store.headPosition();
    const stream = freshStream();
    await store.append(stream, events(5), { expectedState: 'no_stream' });
    const recorder = new Recorder(new Set([stream]));
    const subscription = track(store.subscribeToAll(recorder.handler, { after: start, pollIntervalMs: 10 }));
    await waitFor('catch-up', () => recorder.events.length === 5);
    await store.append(stream, events(3, 5), { expectedState: 4n });
    await waitFor('live events', () => recorder.events.length === 8);
    await sleep(50);
    expect(recorder.events.map((event) => event.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((n) => ({ n })));
    expect(subscription.lastPosition).toBe(recorder.events[7].position);
  });

  it('resumes after a checkpoint without redelivering', async () => {
    const stream = freshStream();
    await store.append(stream, events(4), { expectedState: 'no_stream' });
    const read = await store.readStream(stream);
    const recorder = new Recorder(new Set([stream]));
    track(store.subscribeToAll(recorder.handler, { after: read[1].position, pollIntervalMs: 10 }));
    await waitFor('events after the checkpoint', () => recorder.events.length === 2);
    await sleep(50);
    expect(recorder.events.map((event) => event.revision)).toEqual([2n, 3n]);
  });

  it('applies back-pressure: one batch in flight, never more than batchSize events', async () => {
    const start = await store.headPosition();
    const stream = freshStream();
    await store.append(stream, events(19), { expectedState: 'no_stream' });
    let inFlight = 0;
    let maxInFlight = 0;
    const batches: RecordedEvent[][] = [];
    const slowHandler = async (batch: RecordedEvent[]) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      batches.push(batch);
      await sleep(15);
      inFlight -= 1;
    };
    track(store.subscribeToAll(slowHandler, { after: start, batchSize: 4, pollIntervalMs: 10 }));
    await waitFor('first batch', () => batches.length >= 1);
    await store.append(stream, events(5, 19), { expectedState: 18n });
    const mine = () => batches.flat().filter((event) => event.streamId === stream);
    await waitFor('all 24 events', () => mine().length === 24);
    expect(maxInFlight).toBe(1);
    expect(batches.every((batch) => batch.length >= 1 && batch.length <= 4)).toBe(true);
    expect(batches.some((batch) => batch.length === 4)).toBe(true);
    expect(mine().map((event) => (event.data as { n: number }).n)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });
}

function subscriptionLifecycleTests(context: ContractContext): void {
  let store: EventStore;
  beforeEach(() => {
    store = context.store();
  });

  it('stops: done resolves, later events are not delivered, stop can be called again', async () => {
    const start = await store.headPosition();
    const stream = freshStream();
    await store.append(stream, events(2), { expectedState: 'no_stream' });
    const recorder = new Recorder(new Set([stream]));
    const subscription = store.subscribeToAll(recorder.handler, { after: start, pollIntervalMs: 10 });
    await waitFor('two events', () => recorder.events.length === 2);
    await subscription.stop();
    await expect(subscription.done).resolves.toBeUndefined();
    await store.append(stream, events(2, 2), { expectedState: 1n });
    await sleep(100);
    expect(recorder.events).toHaveLength(2);
    expect(subscription.lastPosition).toBe(recorder.events[1].position);
    await subscription.stop();
  });

  it('stops on a handler error and rejects done with it, without retrying the batch', async () => {
    const start = await store.headPosition();
    const stream = freshStream();
    await store.append(stream, events(3), { expectedState: 'no_stream' });
    const failure = new Error('projection failed');
    let calls = 0;
    const subscription = store.subscribeToAll(
      async () => {
        calls += 1;
        throw failure;
      },
      { after: start, pollIntervalMs: 10 },
    );
    await expect(subscription.done).rejects.toBe(failure);
    await store.append(stream, events(1, 3), { expectedState: 2n });
    await sleep(100);
    expect(calls).toBe(1);
    expect(subscription.lastPosition).toBeUndefined();
    await subscription.stop();
  });
}

function hashChainTests(context: ContractContext): void {
  let store: EventStore;
  beforeEach(() => {
    store = context.store();
  });

  it('links each event to the previous one and hashes its canonical content', async () => {
    const stream = freshStream();
    await store.append(stream, events(2), { expectedState: 'no_stream' });
    await store.append(stream, events(2, 2), { expectedState: 1n });
    const read = await store.readStream(stream);
    expect(read[0].prevHash).toBe('');
    for (let i = 1; i < read.length; i++) expect(read[i].prevHash).toBe(read[i - 1].hash);
    for (const event of read) {
      expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(event.hash).toBe(computeEventHash(event));
    }
    expect(verifyStreamChain(read)).toEqual({
      ok: true,
      eventsChecked: 4,
      lastRevision: 3n,
      lastHash: read[3].hash,
    });
  });

  it('chains streams independently', async () => {
    const a = freshStream();
    const b = freshStream();
    await store.append(a, events(1), { expectedState: 'no_stream' });
    await store.append(b, events(1), { expectedState: 'no_stream' });
    const [[first], [second]] = await Promise.all([store.readStream(a), store.readStream(b)]);
    expect(first.prevHash).toBe('');
    expect(second.prevHash).toBe('');
    expect(first.hash).not.toBe(second.hash);
  });
}
