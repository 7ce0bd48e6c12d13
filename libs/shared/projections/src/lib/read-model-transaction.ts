import { resolve } from 'node:path';
import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { dialectOf } from './read-model-data-source';

/** Most transactions allowed to wait for the SQLite connection at once (every queue has a limit). */
export const MAX_QUEUED_SQLITE_TRANSACTIONS = 1000;

interface SqliteQueue {
  tail: Promise<void>;
  waiting: number;
}

/** Keyed by database file, not by DataSource: two DataSources on one file in one process must also take turns. */
const sqliteQueues = new Map<string, SqliteQueue>();

const memoryKeys = new WeakMap<DataSource, string>();
let memoryDatabases = 0;

function sqliteKey(dataSource: DataSource): string {
  const database = String(dataSource.options.database);
  if (database !== ':memory:') return `file:${resolve(database)}`;
  // Each in-memory DataSource is a database of its own.
  let key = memoryKeys.get(dataSource);
  if (key === undefined) memoryKeys.set(dataSource, (key = `memory:${++memoryDatabases}`));
  return key;
}

/**
 * Runs `work` in one SQL transaction.
 *
 * On SQLite, transactions on one database file are queued one after another in this process. TypeORM's SQLite
 * drivers share a single connection per DataSource, so two overlapping `dataSource.transaction()` calls would nest as
 * savepoints and commit each other's work. And better-sqlite3 waits for another connection's write lock
 * synchronously, blocking the event loop: if the holder is another DataSource in this same process it can never
 * finish, and the wait ends in SQLITE_BUSY. Other processes are unaffected (they wait in their own event loop).
 * PostgreSQL takes a pooled connection per transaction and needs no queue.
 */
export async function readModelTransaction<T>(
  dataSource: DataSource,
  work: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  const scoped = (tx: EntityManager) => withScope(tx, work);
  if (dialectOf(dataSource) === 'postgres') return dataSource.transaction(scoped);
  const key = sqliteKey(dataSource);
  const queue = sqliteQueues.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
  sqliteQueues.set(key, queue);
  if (queue.waiting >= MAX_QUEUED_SQLITE_TRANSACTIONS) {
    throw new Error(`more than ${MAX_QUEUED_SQLITE_TRANSACTIONS} read-model transactions waiting for SQLite`);
  }
  queue.waiting++;
  const previous = queue.tail;
  let release!: () => void;
  queue.tail = new Promise<void>((done) => (release = done));
  try {
    await previous;
    return await dataSource.transaction(scoped);
  } finally {
    queue.waiting--;
    if (queue.waiting === 0) sqliteQueues.delete(key);
    release();
  }
}

/** The scope of each open read-model transaction, by its EntityManager (TypeORM reuses SQLite's between transactions). */
const scopes = new WeakMap<EntityManager, object>();

async function withScope<T>(tx: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  scopes.set(tx, {});
  try {
    return await work(tx);
  } finally {
    scopes.delete(tx);
  }
}

/**
 * An object that lives exactly as long as the read-model transaction `tx` (undefined outside one). A projection may
 * key what it remembers between batches of one transaction on it (a rebuild applies several pages per transaction):
 * once the transaction commits or rolls back, the scope is gone and so is what was remembered.
 */
export function transactionScope(tx: EntityManager): object | undefined {
  return scopes.get(tx);
}

/** Runs a statement with `:named` parameters and returns its rows and affected-row count on either database. */
export async function runSql<Row = ObjectLiteral>(
  tx: EntityManager,
  sql: string,
  parameters: ObjectLiteral = {},
): Promise<{ rows: Row[]; affected: number }> {
  const [query, values] = tx.connection.driver.escapeQueryWithParameters(sql, parameters);
  const queryRunner = tx.queryRunner ?? tx.connection.createQueryRunner();
  try {
    const result = await queryRunner.query(query, values, true);
    return { rows: (result.records ?? []) as Row[], affected: result.affected ?? 0 };
  } finally {
    if (tx.queryRunner === undefined) await queryRunner.release();
  }
}
