import { resolve } from 'node:path';
import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { dialectOf } from './read-model-data-source';
import { isOpenSqliteTransaction, sqliteStatement, sqliteUtcDatetime } from './raw-sql';

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
  const fast = runSqliteInTransaction<Row>(tx, sql, parameters);
  if (fast !== undefined) return fast;
  const [query, values] = tx.connection.driver.escapeQueryWithParameters(sql, parameters);
  const queryRunner = tx.queryRunner ?? tx.connection.createQueryRunner();
  try {
    const result = await queryRunner.query(query, values, true);
    return { rows: (result.records ?? []) as Row[], affected: result.affected ?? 0 };
  } finally {
    if (tx.queryRunner === undefined) await queryRunner.release();
  }
}

/** `:name` placeholders as TypeORM reads them; `:...name` (array expansion) is left to TypeORM. */
const NAMED_PARAMETER = /:(\.\.\.)?([A-Za-z0-9_.]+)/g;
/** SQL texts compiled to positional form, per text (a projection uses a handful of fixed texts). */
const compiledSql = new Map<string, { sql: string; names: string[] } | null>();
const MAX_COMPILED_SQL = 512;

function compileNamed(sql: string): { sql: string; names: string[] } | null {
  let compiled = compiledSql.get(sql);
  if (compiled !== undefined) return compiled;
  const names: string[] = [];
  let expands = false;
  const positional = sql.replace(NAMED_PARAMETER, (_full, spread: string | undefined, name: string) => {
    if (spread !== undefined) expands = true;
    names.push(name);
    return '?';
  });
  compiled = expands ? null : { sql: positional, names };
  if (compiledSql.size >= MAX_COMPILED_SQL) compiledSql.clear();
  compiledSql.set(sql, compiled);
  return compiled;
}

/** A parameter as TypeORM's SQLite driver binds it; undefined when only TypeORM's own path can handle it. */
export function sqliteValue(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'bigint':
      return value;
    // TypeORM writes numbers into the SQL text, so integers reach SQLite as INTEGER; bound as a JS number they
    // would arrive as REAL (and a TEXT column would store "5.0").
    case 'number':
      if (!Number.isFinite(value)) return undefined;
      return Number.isInteger(value) ? BigInt(value) : value;
    case 'boolean':
      return value ? 1 : 0;
    case 'object':
      if (value === null || Buffer.isBuffer(value)) return value;
      if (value instanceof Date) return sqliteUtcDatetime(value.toISOString());
      return undefined;
    default:
      return undefined;
  }
}

/**
 * The SQLite path inside a read-model transaction: the statement is compiled to positional form once per SQL text and
 * prepared once per connection, values are converted as TypeORM would. TypeORM's own path rebuilds the SQL on every
 * call and writes numbers into its text, so every distinct number made a new statement to prepare: a projection's
 * hot statements paid a SQLite prepare per row. Returns undefined for anything it does not handle the same way.
 */
function runSqliteInTransaction<Row>(tx: EntityManager, sql: string, parameters: ObjectLiteral): Promise<{ rows: Row[]; affected: number }> | undefined {
  if (!isOpenSqliteTransaction(tx)) return undefined;
  const compiled = compileNamed(sql);
  if (compiled === null) return undefined;
  const values: unknown[] = [];
  for (const name of compiled.names) {
    if (!Object.prototype.hasOwnProperty.call(parameters, name)) return undefined;
    const value = sqliteValue(parameters[name]);
    if (value === undefined) return undefined;
    values.push(value);
  }
  const statement = sqliteStatement(tx, compiled.sql);
  if (statement.reader) return Promise.resolve({ rows: statement.all(...values) as Row[], affected: 0 });
  return Promise.resolve({ rows: [], affected: statement.run(...values).changes });
}
