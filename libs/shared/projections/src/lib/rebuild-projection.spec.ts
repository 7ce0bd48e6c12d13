import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type SqliteEventStore } from '@smilepay/shared/eventstore';
import { readCheckpoint } from './checkpoint/checkpoints';
import { projectionEntities, projectionMigrations } from './projection-models';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { readModelTransaction, runSql } from './read-model-transaction';
import { type RebuildProgress, rebuildProjection, rebuildProjections } from './rebuild-projection';
import {
  appendEvents,
  EVENT_LOG_INDEX,
  eventLog,
  eventLogProjection,
  fixtureMigrations,
  indexExists,
  MemoryLogger,
  streamCounts,
  streamCountsProjection,
} from './testing/event-log.fixture';
import { openTestReadModelDatabase, type TestReadModelDatabase } from './testing/test-read-model-database';

const models = { entities: projectionEntities, migrations: [...projectionMigrations, ...fixtureMigrations] };

describe.each(['sqlite', 'postgres'] as const)('rebuildProjection on %s', (dialect) => {
  let dir: string;
  let store: SqliteEventStore;
  let db: TestReadModelDatabase;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smilepay-rebuild-'));
    store = openSqliteEventStore(join(dir, 'events.sqlite'));
    db = await openTestReadModelDatabase(dialect, models);
    for (let s = 0; s < 7; s++) await appendEvents(store, `item-${s % 3}`, 3 + s);
  });

  afterEach(async () => {
    await store.close();
    await db.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function projectLive(): Promise<void> {
    const runner = new ProjectionRunner({
      store,
      dataSource: db.dataSource,
      projections: [eventLogProjection(), streamCountsProjection],
      logger: new MemoryLogger(),
      pollIntervalMs: 5,
    });
    await runner.start();
    await runner.waitFor(await store.headPosition());
    await runner.stop();
  }

  it('rebuilds, in pages, exactly what the live projection built, even from damaged rows', async () => {
    await projectLive();
    const live = { log: await eventLog(db.dataSource.manager), counts: await streamCounts(db.dataSource.manager) };
    await readModelTransaction(db.dataSource, async (tx) => {
      await runSql(tx, `DELETE FROM "stream_counts" WHERE "stream_id" = 'item-0'`);
      await runSql(tx, `UPDATE "stream_counts" SET "n" = 999 WHERE "stream_id" = 'item-1'`);
    });
    const progress: RebuildProgress[] = [];
    const head = await store.headPosition();

    const result = await rebuildProjection(store, db.dataSource, streamCountsProjection, {
      pageSize: 4,
      onProgress: (p) => progress.push(p),
    });

    expect(result).toEqual({ position: head, eventsRead: 42 });
    expect(await streamCounts(db.dataSource.manager)).toEqual(live.counts);
    expect(await eventLog(db.dataSource.manager)).toEqual(live.log); // other projections' tables untouched
    expect(await readCheckpoint(db.dataSource, 'stream_counts')).toBe(head);
    const positions = progress.map((p) => p.position);
    expect(positions.every((p, i) => i === 0 || p >= positions[i - 1])).toBe(true);
    expect(progress.length).toBeGreaterThanOrEqual(11); // 42 events in pages of 4
    expect(progress[progress.length - 1]).toEqual({ projection: 'stream_counts', position: head, target: head, eventsRead: 42 });
  });

  it('stops at upTo, and a runner started afterwards finishes with the same result as live', async () => {
    await projectLive();
    const live = await eventLog(db.dataSource.manager);
    const tenth = (await store.readAll({ maxCount: 10 })).events[9].position;

    const result = await rebuildProjection(store, db.dataSource, eventLogProjection(), { upTo: tenth, pageSize: 3 });

    expect(result.position).toBe(tenth);
    expect(await eventLog(db.dataSource.manager)).toHaveLength(10);
    await projectLive();
    expect(await eventLog(db.dataSource.manager)).toEqual(live);
  });

  it('applies several pages per transaction, and rebuilds several projections in one pass, with the same result', async () => {
    await projectLive();
    const live = { log: await eventLog(db.dataSource.manager), counts: await streamCounts(db.dataSource.manager) };
    const head = await store.headPosition();
    const progress: RebuildProgress[] = [];

    const result = await rebuildProjections(store, db.dataSource, [eventLogProjection(), streamCountsProjection], {
      pageSize: 4,
      pagesPerTransaction: 3,
      onProgress: (p) => progress.push(p),
    });

    expect(result).toEqual({ position: head, eventsRead: 42 });
    expect(await eventLog(db.dataSource.manager)).toEqual(live.log);
    expect(await streamCounts(db.dataSource.manager)).toEqual(live.counts);
    expect(await readCheckpoint(db.dataSource, 'event_log')).toBe(head);
    expect(await readCheckpoint(db.dataSource, 'stream_counts')).toBe(head);
    // 42 events in pages of 4, three pages a commit: four commits per projection, then the final report.
    expect(progress.filter((p) => p.projection === 'event_log').map((p) => p.eventsRead)).toEqual([12, 24, 36, 42, 42]);
    await expect(rebuildProjection(store, db.dataSource, streamCountsProjection, { pagesPerTransaction: 0 })).rejects.toThrow(
      /pagesPerTransaction must be 1..100/,
    );
  });

  it('drops rebuild indexes while it replays and creates them at the end; a worker start brings back dropped ones', async () => {
    const indexed = eventLogProjection({ withRebuildIndex: true });
    const seen: boolean[] = [];
    const watching: Projection = {
      ...indexed,
      async apply(events, tx) {
        seen.push(await indexExists(tx, EVENT_LOG_INDEX));
        await indexed.apply(events, tx);
      },
    };
    await rebuildProjection(store, db.dataSource, watching, { pageSize: 10 });
    expect(new Set(seen)).toEqual(new Set([false]));
    expect(await indexExists(db.dataSource.manager, EVENT_LOG_INDEX)).toBe(true);

    // Interrupted: the replay fails after the reset, so the index stays dropped until a worker starts.
    const failing = eventLogProjection({ withRebuildIndex: true, failOn: (event) => event.position > 20n });
    await expect(rebuildProjection(store, db.dataSource, failing, { pageSize: 10 })).rejects.toThrow(/refusing/);
    expect(await indexExists(db.dataSource.manager, EVENT_LOG_INDEX)).toBe(false);
    const runner = new ProjectionRunner({ store, dataSource: db.dataSource, projections: [indexed], logger: new MemoryLogger() });
    await runner.start();
    await runner.stop();
    expect(await indexExists(db.dataSource.manager, EVENT_LOG_INDEX)).toBe(true);
  });

  it('refuses a rebuild index whose statement is not an idempotent CREATE INDEX of that name', async () => {
    const bad = { ...eventLogProjection(), rebuildIndexes: [{ name: 'event_log_x', create: 'DROP TABLE "event_log"' }] };
    await expect(rebuildProjection(store, db.dataSource, bad)).rejects.toThrow(/CREATE INDEX IF NOT EXISTS "event_log_x"/);
    expect(await eventLog(db.dataSource.manager)).toEqual([]);
  });

  it('cooperates with a runner that keeps going during the rebuild: every event still lands once', async () => {
    const runner = new ProjectionRunner({
      store,
      dataSource: db.dataSource,
      projections: [eventLogProjection()],
      logger: new MemoryLogger(),
      pollIntervalMs: 1,
      batchSize: 2,
    });
    await runner.start();
    try {
      await runner.waitFor(await store.headPosition());
      const rebuilding = rebuildProjection(store, db.dataSource, eventLogProjection(), { pageSize: 2, pagesPerTransaction: 2 });
      for (let i = 0; i < 10; i++) {
        await appendEvents(store, 'during-rebuild', 1);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await rebuilding;
      const head = await appendEvents(store, 'after-rebuild', 2);
      await runner.waitFor(head);
      const log = await eventLog(db.dataSource.manager);
      expect(log).toHaveLength(54);
      expect(new Set(log).size).toBe(54);
      expect(await readCheckpoint(db.dataSource, 'event_log')).toBe(head);
    } finally {
      await runner.stop();
    }
  });
});
