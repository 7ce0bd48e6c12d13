import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadModelDataSource, type ReadModelDataSourceOptions } from '@smilepay/shared/projections';

export interface ScratchReadModel {
  dataSource: ReadModelDataSource;
  /** Where it lives: a temp SQLite file or a PostgreSQL schema. */
  location: string;
  /** Destroys the connection and deletes the file or drops the schema. */
  dispose(): Promise<void>;
}

export interface ScratchOptions extends Pick<ReadModelDataSourceOptions, 'entities' | 'migrations'> {
  /** The live model's PostgreSQL URL: the scratch copy is a fresh schema there. Absent: a temp SQLite file. */
  databaseUrl?: string;
  /** Directory for the SQLite scratch file (default: the OS temp directory). */
  tempDir?: string;
}

/**
 * A migrated, empty read-model database of the same kind as the live one (same SQL types, so rows compare
 * exactly), never the live database itself.
 */
export async function openScratchReadModel(options: ScratchOptions): Promise<ScratchReadModel> {
  const postgres = options.databaseUrl !== undefined && options.databaseUrl !== '';
  const dir = postgres ? undefined : mkdtempSync(join(options.tempDir ?? tmpdir(), 'smilepay-audit-scratch-'));
  const schema = postgres ? `audit_scratch_${process.pid}_${randomBytes(4).toString('hex')}` : undefined;
  const dataSource = new ReadModelDataSource({
    databaseUrl: postgres ? options.databaseUrl : undefined,
    schema,
    sqlitePath: dir === undefined ? ':memory:' : join(dir, 'read-models.sqlite'),
    entities: options.entities,
    migrations: options.migrations,
    poolSize: 2,
  });
  const dispose = async () => {
    if (schema !== undefined && dataSource.isInitialized) await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    if (dataSource.isInitialized) await dataSource.destroy();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await dataSource.migrate();
  } catch (error) {
    await dispose();
    throw error;
  }
  return { dataSource, location: schema === undefined ? join(dir as string, 'read-models.sqlite') : `schema ${schema}`, dispose };
}
