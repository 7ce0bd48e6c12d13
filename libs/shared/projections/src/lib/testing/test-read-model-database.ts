import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ReadModelDataSourceOptions, ReadModelDialect } from '../read-model-data-source';
import { ReadModelDataSource } from '../read-model-data-source';

/** PostgreSQL used by integration tests; override with TEST_DATABASE_URL. */
export const TEST_POSTGRES_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://root@127.0.0.1:5432/test';

export interface TestReadModelDatabase {
  readonly dialect: ReadModelDialect;
  /** Migrated and initialized. */
  readonly dataSource: ReadModelDataSource;
  /** Another initialized DataSource on the same database (a second "instance", e.g. for race tests). */
  connectAgain(): Promise<ReadModelDataSource>;
  /** Destroys every DataSource and drops the schema (PostgreSQL) or deletes the file (SQLite). */
  dispose(): Promise<void>;
}

/**
 * A throw-away read-model database for integration tests: a temp SQLite file, or a PostgreSQL schema with a unique
 * name so parallel test runs never collide.
 */
export async function openTestReadModelDatabase(
  dialect: ReadModelDialect,
  models: Pick<ReadModelDataSourceOptions, 'entities' | 'migrations'>,
): Promise<TestReadModelDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'smilepay-read-models-'));
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const options: ReadModelDataSourceOptions = {
    ...models,
    databaseUrl: dialect === 'postgres' ? TEST_POSTGRES_URL : undefined,
    sqlitePath: join(dir, 'read-models.sqlite'),
    schema: dialect === 'postgres' ? schema : undefined,
    poolSize: 4,
  };
  const opened: ReadModelDataSource[] = [];
  const connect = async () => {
    const dataSource = new ReadModelDataSource(options);
    opened.push(dataSource);
    await dataSource.initialize();
    return dataSource;
  };
  const dataSource = await connect();
  await dataSource.migrate();
  return {
    dialect,
    dataSource,
    connectAgain: connect,
    async dispose() {
      if (dialect === 'postgres' && dataSource.isInitialized) await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      for (const ds of opened) if (ds.isInitialized) await ds.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
