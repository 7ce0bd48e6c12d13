import type { QueryRunner, ValueTransformer } from 'typeorm';

/**
 * SQL types for read-model migrations that work the same on both databases.
 * - money: exact integers of any size. PostgreSQL NUMERIC(39,0) keeps SQL arithmetic and ordering; SQLite has no
 *   exact wide integer, so its TEXT column keeps the decimal string as written (NUMERIC affinity would turn large
 *   values into lossy REALs).
 * - position: store positions as 64-bit integers so rows can be ordered in SQL.
 */
export interface ReadModelColumnTypes {
  money: string;
  position: string;
  timestamp: string;
}

export function readModelColumnTypes(queryRunner: QueryRunner): ReadModelColumnTypes {
  return queryRunner.connection.options.type === 'postgres'
    ? { money: 'NUMERIC(39,0)', position: 'BIGINT', timestamp: 'TIMESTAMPTZ' }
    : { money: 'TEXT', position: 'INTEGER', timestamp: 'DATETIME' };
}

function toBigint(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && /^-?[0-9]+$/.test(value)) return BigInt(value);
  // better-sqlite3 returns INTEGER columns as JS numbers: exact only up to 2^53.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new Error(`${what} column holds ${typeof value} ${String(value)}, not an exact integer`);
}

/** Money columns: bigint in code, decimal string in SQL. */
export const moneyTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: unknown) => (value === null || value === undefined ? value : toBigint(value, 'money')),
};

/** Store positions: bigint in code, BIGINT/INTEGER in SQL. */
export const positionTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: unknown) => (value === null || value === undefined ? value : toBigint(value, 'position')),
};
