import type Database from 'better-sqlite3';
import type { EntityManager } from 'typeorm';
import { dialectOf } from './read-model-data-source';

/**
 * Direct access to the transaction's connection for projections that write many rows per batch (rebuilds replay
 * whole pages). TypeORM's per-row `save`/`update` calls cost far more than the statements themselves: SQLite gets
 * prepared statements run on the underlying better-sqlite3 handle, PostgreSQL gets one array-bound statement per
 * batch. Both run inside the caller's transaction (the one that also moves the checkpoint).
 */

/** Statements compiled once per connection; a projection uses a handful of fixed SQL texts. */
const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();
/** Distinct SQL texts kept per connection (every cache has a limit). */
const MAX_CACHED_STATEMENTS = 256;

/**
 * The better-sqlite3 handle under a SQLite read-model transaction. TypeORM's better-sqlite3 driver keeps one
 * connection per DataSource and has already issued BEGIN on it, so statements run here are part of `tx`.
 */
export function sqliteHandleOf(tx: EntityManager): Database.Database {
  if (dialectOf(tx) !== 'sqlite') throw new Error('sqliteHandleOf needs a SQLite read-model transaction');
  if (tx.queryRunner === undefined || !tx.queryRunner.isTransactionActive) {
    throw new Error('sqliteHandleOf needs an open transaction: raw statements would otherwise auto-commit');
  }
  const handle = (tx.connection.driver as unknown as { databaseConnection?: Database.Database }).databaseConnection;
  if (handle === undefined) throw new Error('the SQLite read-model connection is not open');
  return handle;
}

/** True inside an open SQLite read-model transaction, where statements on its handle join that transaction. */
export function isOpenSqliteTransaction(tx: EntityManager): boolean {
  return dialectOf(tx) === 'sqlite' && tx.queryRunner !== undefined && tx.queryRunner.isTransactionActive;
}

/** A prepared statement on the transaction's SQLite connection, compiled on first use. */
export function sqliteStatement(tx: EntityManager, sql: string): Database.Statement {
  const handle = sqliteHandleOf(tx);
  let statements = statementCache.get(handle);
  if (statements === undefined) statementCache.set(handle, (statements = new Map()));
  let statement = statements.get(sql);
  if (statement === undefined) {
    if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
    statement = handle.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** Runs a PostgreSQL statement with positional ($1…) parameters inside `tx`. */
export async function postgresQuery<Row>(
  tx: EntityManager,
  sql: string,
  values: unknown[],
): Promise<{ rows: Row[]; affected: number }> {
  if (dialectOf(tx) !== 'postgres') throw new Error('postgresQuery needs a PostgreSQL read-model transaction');
  if (tx.queryRunner === undefined) throw new Error('postgresQuery needs the transaction of a read-model batch');
  const result = await tx.queryRunner.query(sql, values, true);
  return { rows: (result.records ?? []) as Row[], affected: result.affected ?? 0 };
}

const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A real instant in toISOString()'s spelling. Date.parse refuses hour 25 or day 32 but rolls Feb 30 over. */
function isCanonicalUtc(iso: string): boolean {
  if (!CANONICAL_UTC.test(iso) || Number.isNaN(Date.parse(iso))) return false;
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const day = Number(iso.slice(8, 10));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day >= 1 && day <= days;
}

/**
 * An ISO-8601 instant in the text form TypeORM's SQLite drivers store for `Date` columns
 * (`YYYY-MM-DD HH:mm:ss.SSS`, UTC), so rows written raw read back through entities unchanged.
 */
export function sqliteUtcDatetime(iso: string): string {
  // Events carry the canonical toISOString() spelling: then the text only needs its T and Z dropped (no Date).
  if (isCanonicalUtc(iso)) return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) throw new RangeError(`not an ISO-8601 time: ${iso}`);
  return time.toISOString().replace('T', ' ').slice(0, 23);
}
