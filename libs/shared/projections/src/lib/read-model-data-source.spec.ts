import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_CHECKPOINT, readCheckpoint } from './checkpoint/checkpoints';
import { projectionEntities, projectionMigrations } from './projection-models';
import { createReadModelDataSource, readModelDialectOf } from './read-model-data-source';
import { readModelTransaction, runSql } from './read-model-transaction';
import { openTestReadModelDatabase, TEST_POSTGRES_URL } from './testing/test-read-model-database';

const models = { entities: projectionEntities, migrations: projectionMigrations };

describe('readModelDialectOf', () => {
  it('selects PostgreSQL for postgres:// and postgresql:// URLs and SQLite when there is none', () => {
    expect(readModelDialectOf('postgres://u@h/db')).toBe('postgres');
    expect(readModelDialectOf('postgresql://u@h/db')).toBe('postgres');
    expect(readModelDialectOf(undefined)).toBe('sqlite');
    expect(readModelDialectOf('')).toBe('sqlite');
  });

  it('refuses any other scheme instead of silently falling back to SQLite', () => {
    expect(() => readModelDialectOf('mysql://u@h/db')).toThrow(/postgres:\/\//);
    expect(() => createReadModelDataSource({ ...models, databaseUrl: 'file:x', sqlitePath: '/tmp/x' })).toThrow();
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() =>
      createReadModelDataSource({ ...models, databaseUrl: TEST_POSTGRES_URL, sqlitePath: '', schema: 'a"; drop' }),
    ).toThrow(/schema/);
  });
});

describe('createReadModelDataSource on SQLite', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smilepay-rmds-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens the file in WAL mode with synchronize off, creating its directory', async () => {
    const ds = createReadModelDataSource({ ...models, sqlitePath: join(dir, 'nested', 'rm.sqlite') });
    expect(ds.dialect).toBe('sqlite');
    expect(ds.options.synchronize).toBe(false);
    expect(ds.options.migrationsRun).toBe(false);
    await ds.initialize();
    try {
      const [{ journal_mode }] = await ds.query('PRAGMA journal_mode');
      expect(journal_mode).toBe('wal');
      // Nothing is created until migrate() runs.
      expect(await ds.createQueryRunner().hasTable('projection_checkpoints')).toBe(false);
    } finally {
      await ds.destroy();
    }
  });

  it('migrate() applies pending migrations once', async () => {
    const ds = createReadModelDataSource({ ...models, sqlitePath: join(dir, 'rm.sqlite') });
    try {
      expect(await ds.migrate()).toEqual(['CreateProjectionCheckpoints1764100000000']);
      expect(await ds.migrate()).toEqual([]);
      expect(await readCheckpoint(ds, 'anything')).toBe(NO_CHECKPOINT);
    } finally {
      await ds.destroy();
    }
  });
});

describe('createReadModelDataSource on PostgreSQL', () => {
  it('keeps each schema separate, so parallel test runs never see each other', async () => {
    const a = await openTestReadModelDatabase('postgres', models);
    const b = await openTestReadModelDatabase('postgres', models);
    try {
      expect(a.dataSource.dialect).toBe('postgres');
      expect(a.dataSource.options.synchronize).toBe(false);
      await readModelTransaction(a.dataSource, (tx) =>
        runSql(tx, `INSERT INTO "projection_checkpoints" VALUES ('p', '5', now())`),
      );
      expect(await readCheckpoint(a.dataSource, 'p')).toBe(5n);
      expect(await readCheckpoint(b.dataSource, 'p')).toBe(NO_CHECKPOINT);
      const [{ schema }] = await a.dataSource.query(
        `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'projection_checkpoints' AND table_schema = current_schema()`,
      );
      expect(schema).toBe(a.dataSource.schemaName);
      expect(await a.dataSource.migrate()).toEqual([]);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  it('dispose() drops the schema', async () => {
    const db = await openTestReadModelDatabase('postgres', models);
    const schema = db.dataSource.schemaName;
    const other = await openTestReadModelDatabase('postgres', models);
    try {
      await db.dispose();
      const rows = await other.dataSource.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = $1`, [schema]);
      expect(rows).toHaveLength(0);
    } finally {
      await other.dispose();
    }
  });
});

describe('runSql on SQLite binds like TypeORM, inside and outside a transaction', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smilepay-runsql-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores integers as INTEGER, fractions as REAL, dates in TypeORM text form and booleans as 0/1; expands arrays', async () => {
    const ds = createReadModelDataSource({ ...models, sqlitePath: join(dir, 'rm.sqlite') });
    await ds.initialize();
    try {
      await ds.query('CREATE TABLE "t" ("id" varchar PRIMARY KEY, "n" varchar, "r" real, "at" datetime, "flag" integer, "big" bigint)');
      const insert = `INSERT INTO "t" ("id", "n", "r", "at", "flag", "big") VALUES (:id, :n, :r, :at, :flag, :big)`;
      const at = new Date('2026-12-07T21:00:00.123Z');
      // Inside a transaction (the compiled, prepared path) and outside one (TypeORM's own path): the same rows.
      await readModelTransaction(ds, (tx) => runSql(tx, insert, { id: 'in', n: 5, r: 1.5, at, flag: true, big: 12n }));
      await runSql(ds.manager, insert, { id: 'out', n: 5, r: 1.5, at, flag: true, big: 12n });
      const rows = await readModelTransaction(ds, (tx) =>
        runSql<Record<string, unknown>>(tx, `SELECT "id", "n", typeof("n") AS "tn", "r", "at", "flag", "big" FROM "t" WHERE "id" IN (:...ids) ORDER BY "id"`, { ids: ['in', 'out'] }),
      );
      const expected = { n: '5', tn: 'text', r: 1.5, at: '2026-12-07 21:00:00.123', flag: 1, big: 12 };
      expect(rows.rows).toEqual([{ id: 'in', ...expected }, { id: 'out', ...expected }]);
      const counted = await readModelTransaction(ds, (tx) => runSql(tx, `UPDATE "t" SET "flag" = :flag WHERE "big" = :big`, { flag: false, big: 12 }));
      expect(counted.affected).toBe(2);
    } finally {
      await ds.destroy();
    }
  });
});
