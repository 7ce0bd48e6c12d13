import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';
import type { EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import type { Projection } from '../projection';
import { runSql } from '../read-model-transaction';

/**
 * Test read models used by this lib's specs. `event_log` has no key on purpose: an event applied twice shows up as
 * two rows. `stream_counts` is read-modify-write, so a lost or doubled update shows up as a wrong count.
 */
export class CreateFixtureTables1764100000500 implements MigrationInterface {
  readonly name = 'CreateFixtureTables1764100000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "event_log" ("position" varchar(20) NOT NULL, "stream_id" varchar(200) NOT NULL, "type" varchar(100) NOT NULL)`);
    await queryRunner.query(`CREATE TABLE "stream_counts" ("stream_id" varchar(200) NOT NULL PRIMARY KEY, "n" integer NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "stream_counts"`);
    await queryRunner.query(`DROP TABLE "event_log"`);
  }
}

export interface EventLogOptions {
  name?: string;
  /** Throws (after writing the rows of the events before it) when this returns true for an event. */
  failOn?: (event: RecordedEvent) => boolean;
  /** Declares `event_log_type_idx` as a rebuild index (no migration makes it: a worker start creates it). */
  withRebuildIndex?: boolean;
}

export const EVENT_LOG_INDEX = 'event_log_type_idx';

export function eventLogProjection(options: EventLogOptions = {}): Projection {
  return {
    name: options.name ?? 'event_log',
    tables: ['event_log'],
    rebuildIndexes: options.withRebuildIndex
      ? [{ name: EVENT_LOG_INDEX, create: `CREATE INDEX IF NOT EXISTS "${EVENT_LOG_INDEX}" ON "event_log" ("type")` }]
      : undefined,
    async apply(events: RecordedEvent[], tx: EntityManager) {
      for (const event of events) {
        if (options.failOn?.(event)) throw new Error(`refusing ${event.type} at ${event.position}`);
        await runSql(tx, `INSERT INTO "event_log" ("position", "stream_id", "type") VALUES (:position, :streamId, :type)`, {
          position: event.position.toString(),
          streamId: event.streamId,
          type: event.type,
        });
      }
    },
  };
}

export const streamCountsProjection: Projection = {
  name: 'stream_counts',
  tables: ['stream_counts'],
  async apply(events: RecordedEvent[], tx: EntityManager) {
    for (const event of events) {
      const { rows } = await runSql<{ n: number }>(tx, `SELECT "n" FROM "stream_counts" WHERE "stream_id" = :id`, { id: event.streamId });
      if (rows.length === 0) {
        await runSql(tx, `INSERT INTO "stream_counts" ("stream_id", "n") VALUES (:id, 1)`, { id: event.streamId });
      } else {
        await runSql(tx, `UPDATE "stream_counts" SET "n" = :n WHERE "stream_id" = :id`, { id: event.streamId, n: Number(rows[0].n) + 1 });
      }
    }
  },
};

export const fixtureMigrations = [CreateFixtureTables1764100000500];

const metadata = { correlationId: 'c-1', causationId: 'c-1', actor: 'system:test', schemaVersion: 1 };

/** Appends `count` events of `type` to `streamId` (one append) and returns the last position. */
export async function appendEvents(store: EventStore, streamId: string, count: number, type = 'Thing'): Promise<bigint> {
  const events = Array.from({ length: count }, (_, i) => ({ type, data: { i }, metadata }));
  return (await store.append(streamId, events, { expectedState: 'any' })).position;
}

export async function eventLog(tx: EntityManager): Promise<string[]> {
  const { rows } = await runSql<{ position: string; stream_id: string; type: string }>(
    tx,
    `SELECT "position", "stream_id", "type" FROM "event_log"`,
  );
  return rows.map((r) => `${r.position}:${r.stream_id}:${r.type}`).sort();
}

export async function streamCounts(tx: EntityManager): Promise<Record<string, number>> {
  const { rows } = await runSql<{ stream_id: string; n: number }>(tx, `SELECT "stream_id", "n" FROM "stream_counts"`);
  return Object.fromEntries(rows.map((r) => [r.stream_id, Number(r.n)]));
}

/** Whether an index of that name exists in the read-model database (SQLite file or the PostgreSQL schema). */
export async function indexExists(tx: EntityManager, name: string): Promise<boolean> {
  const sql =
    tx.connection.options.type === 'postgres'
      ? `SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = :name`
      : `SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :name`;
  return (await runSql(tx, sql, { name })).rows.length === 1;
}

/** Keeps what the runner logged, so specs can assert that failures and conflicts were reported. */
export class MemoryLogger {
  readonly lines: { level: 'log' | 'warn' | 'error'; message: string }[] = [];
  log(message: string): void {
    this.lines.push({ level: 'log', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  count(level: 'log' | 'warn' | 'error', pattern: RegExp): number {
    return this.lines.filter((l) => l.level === level && pattern.test(l.message)).length;
  }
}
