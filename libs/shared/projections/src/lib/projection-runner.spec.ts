import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore, openSqliteEventStore, type RecordedEvent, type SqliteEventStore } from '@smilepay/shared/eventstore';
import { NO_CHECKPOINT, readCheckpoint } from './checkpoint/checkpoints';
import type { ProjectionFailure } from './projection-worker';
import { projectionEntities, projectionMigrations } from './projection-models';
import { ProjectionRunner, ProjectionStoppedError, ProjectionWaitTimeoutError } from './projection-runner';
import {
  appendEvents,
  eventLog,
  eventLogProjection,
  fixtureMigrations,
  MemoryLogger,
  streamCounts,
  streamCountsProjection,
} from './testing/event-log.fixture';
import { openTestReadModelDatabase, type TestReadModelDatabase } from './testing/test-read-model-database';

const models = { entities: projectionEntities, migrations: [...projectionMigrations, ...fixtureMigrations] };
const fastRetry = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 };

describe.each(['sqlite', 'postgres'] as const)('ProjectionRunner on %s', (dialect) => {
  let dir: string;
  let store: SqliteEventStore;
  let db: TestReadModelDatabase;
  let logger: MemoryLogger;
  const runners: ProjectionRunner[] = [];

  const runner = (options: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> = {}) => {
    const r = new ProjectionRunner({
      store,
      dataSource: db.dataSource,
      projections: [eventLogProjection()],
      logger,
      pollIntervalMs: 5,
      retry: fastRetry,
      ...options,
    });
    runners.push(r);
    return r;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smilepay-runner-'));
    store = openSqliteEventStore(join(dir, 'events.sqlite'));
    db = await openTestReadModelDatabase(dialect, models);
    logger = new MemoryLogger();
  });

  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    await store.close();
    await db.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies every event once, moves each checkpoint to the head and reports zero lag', async () => {
    for (let s = 0; s < 5; s++) await appendEvents(store, `thing-${s}`, 5);
    const committed: Record<string, RecordedEvent[][]> = {};
    const r = runner({
      projections: [eventLogProjection(), streamCountsProjection],
      batchSize: 7,
      onCommitted: (name, events) => void (committed[name] ??= []).push(events),
    });
    await r.start();
    const head = await store.headPosition();
    await r.waitFor(head);

    expect(await eventLog(db.dataSource.manager)).toHaveLength(25);
    expect(await streamCounts(db.dataSource.manager)).toEqual({
      'thing-0': 5, 'thing-1': 5, 'thing-2': 5, 'thing-3': 5, 'thing-4': 5,
    });
    expect(await readCheckpoint(db.dataSource, 'event_log')).toBe(head);
    expect(await readCheckpoint(db.dataSource, 'stream_counts')).toBe(head);
    expect(await r.lag()).toEqual({ event_log: 0n, stream_counts: 0n });
    // One callback per committed batch of at most 7 events, covering every event in order.
    expect(committed['event_log'].map((b) => b.length)).toEqual([7, 7, 7, 4]);
    expect(committed['event_log'].flat().map((e) => e.position)).toEqual(
      (await store.readAll({ maxCount: 100 })).events.map((e) => e.position),
    );
  });

  it('keeps following live appends and onCommitted fires only once the rows are visible to other connections', async () => {
    const other = await db.connectAgain();
    const seenByOther: number[] = [];
    const r = runner({
      onCommitted: async () => void seenByOther.push((await eventLog(other.manager)).length),
    });
    await r.start();
    await r.waitFor(await appendEvents(store, 'live-1', 2));
    await r.waitFor(await appendEvents(store, 'live-2', 3));
    // waitFor resolves at commit; stop() waits for the last onCommitted call to settle.
    await r.stop();
    expect(seenByOther[seenByOther.length - 1]).toBe(5);
    expect(seenByOther.every((n, i) => i === 0 || n > seenByOther[i - 1])).toBe(true);
  });

  it('commits rows and checkpoint atomically: a failing apply leaves neither, is retried, reported, then stops', async () => {
    await appendEvents(store, 'ok-1', 2);
    const afterGood = await appendEvents(store, 'ok-2', 1);
    await appendEvents(store, 'bad-1', 1, 'Poison');
    await appendEvents(store, 'ok-3', 2);
    const failures: ProjectionFailure[] = [];
    const r = runner({
      projections: [eventLogProjection({ failOn: (e) => e.type === 'Poison' })],
      batchSize: 3,
      onError: (f) => failures.push(f),
    });
    await r.start();
    await expect(r.waitFor(await store.headPosition(), { timeoutMs: 3000 })).rejects.toBeInstanceOf(ProjectionStoppedError);

    // The first batch (3 good events) committed; the second one (Poison + 2) left no row and no checkpoint move.
    expect(await readCheckpoint(db.dataSource, 'event_log')).toBe(afterGood);
    expect(await eventLog(db.dataSource.manager)).toHaveLength(3);
    expect(failures.map((f) => [f.attempt, f.willRetry])).toEqual([[1, true], [2, true], [3, false]]);
    expect(failures[0].fromPosition).toBe(afterGood + 1n);
    expect(logger.count('error', /refusing Poison/)).toBe(3);
    expect(r.status()).toEqual([expect.objectContaining({ name: 'event_log', state: 'failed', checkpoint: afterGood })]);
    // A waitFor on a position it already reached still fails fast: the projection is stuck and someone must know.
    await expect(r.waitFor(0n)).rejects.toThrow(/event_log failed/);
  });

  it('recovers after transient failures without losing or doubling an event', async () => {
    const head = await appendEvents(store, 'flaky', 4);
    let failuresLeft = 2;
    const failures: ProjectionFailure[] = [];
    const r = runner({
      projections: [eventLogProjection({ failOn: () => failuresLeft-- > 0 })],
      onError: (f) => failures.push(f),
    });
    await r.start();
    await r.waitFor(head);
    expect(failures.map((f) => f.willRetry)).toEqual([true, true]);
    expect(await eventLog(db.dataSource.manager)).toHaveLength(4);
    expect(r.status()[0].state).toBe('running');
  });

  it('changes nothing when the store delivers batches again (at-least-once delivery) or the runner restarts', async () => {
    const redelivering: EventStore = Object.create(store, {
      subscribeToAll: {
        value: (handler: (events: RecordedEvent[]) => Promise<void>, options?: object) =>
          store.subscribeToAll(async (events) => {
            await handler(events);
            await handler(events);
            await handler(events.slice(0, 1));
          }, options),
      },
    });
    await appendEvents(store, 'again-1', 3);
    const r = runner({ store: redelivering, projections: [eventLogProjection(), streamCountsProjection], batchSize: 2 });
    await r.start();
    await r.waitFor(await appendEvents(store, 'again-2', 3));
    const before = { log: await eventLog(db.dataSource.manager), counts: await streamCounts(db.dataSource.manager) };
    await r.stop();
    await r.start();
    await r.waitFor(await store.headPosition());
    expect(before.log).toHaveLength(6);
    expect(before.counts).toEqual({ 'again-1': 3, 'again-2': 3 });
    expect({ log: await eventLog(db.dataSource.manager), counts: await streamCounts(db.dataSource.manager) }).toEqual(before);
  });

  it('two runners racing on one database apply each event exactly once', async () => {
    for (let s = 0; s < 6; s++) await appendEvents(store, `race-${s}`, 5);
    const second = await db.connectAgain();
    const projections = [eventLogProjection(), streamCountsProjection];
    const a = runner({ projections, batchSize: 4 });
    const b = runner({ projections, batchSize: 4, dataSource: second });
    await Promise.all([a.start(), b.start()]);
    for (let s = 0; s < 6; s++) await appendEvents(store, `race-${s}`, 5);
    const head = await store.headPosition();
    await Promise.all([a.waitFor(head), b.waitFor(head)]);

    const log = await eventLog(db.dataSource.manager);
    expect(log).toHaveLength(60);
    expect(new Set(log).size).toBe(60);
    const counts = await streamCounts(db.dataSource.manager);
    expect(Object.values(counts)).toEqual([10, 10, 10, 10, 10, 10]);
    // The race really happened: at least one instance lost a compare-and-set and rolled back.
    expect(logger.count('warn', /moved by another instance/)).toBeGreaterThan(0);
  });

  it('waitFor rejects with a timeout naming the projections behind, and lag counts from the checkpoint', async () => {
    const head = await appendEvents(store, 'late', 3);
    const r = runner();
    expect(await readCheckpoint(db.dataSource, 'event_log')).toBe(NO_CHECKPOINT);
    await r.start();
    await r.waitFor(head);
    const error = await r.waitFor(head + 1000n, { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectionWaitTimeoutError);
    expect((error as ProjectionWaitTimeoutError).behind).toEqual({ event_log: head });
    await r.stop();
    await appendEvents(store, 'late', 2);
    expect(await r.lag()).toEqual({ event_log: 2n });
  });
});
