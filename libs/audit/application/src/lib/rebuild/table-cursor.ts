import { runSql } from '@smilepay/shared/projections';
import type { DataSource, EntityManager } from 'typeorm';

export type Row = Record<string, unknown>;

export interface TableShape {
  table: string;
  /** Primary key columns, in order. */
  keys: string[];
  /** Which key columns are text (compared byte-wise, as SQLite BINARY and PostgreSQL "C" order them). */
  textKeys: boolean[];
}

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A table's primary key, from the TypeORM entity that maps it. */
export function tableShape(dataSource: DataSource, table: string): TableShape {
  if (!NAME.test(table)) throw new Error(`bad table name "${table}"`);
  const metadata = dataSource.entityMetadatas.find((entity) => entity.tableName === table);
  if (metadata === undefined) throw new Error(`table ${table} has no entity in the read-model registry: cannot find its key`);
  const keys = metadata.primaryColumns.map((column) => column.databaseName);
  const textKeys = metadata.primaryColumns.map((column) => {
    const type = typeof column.type === 'string' ? column.type : (column.type as { name?: string }).name;
    return /char|text|string|uuid/i.test(String(type));
  });
  for (const key of keys) if (!NAME.test(key)) throw new Error(`bad column name "${key}" in ${table}`);
  return { table, keys, textKeys };
}

/**
 * Reads a table in primary-key order, a page at a time (keyset paging, so each page is an index range scan and
 * memory stays one page). Text keys sort byte-wise on both databases, which is also how compareKeys orders them.
 */
export class TableCursor {
  private buffer: Row[] = [];
  private index = 0;
  private last: unknown[] | undefined;
  private exhausted = false;
  rowsRead = 0;

  constructor(
    private readonly manager: EntityManager,
    private readonly shape: TableShape,
    private readonly pageSize: number,
  ) {}

  async next(): Promise<Row | undefined> {
    if (this.index >= this.buffer.length) {
      if (this.exhausted) return undefined;
      await this.fetch();
      if (this.buffer.length === 0) return undefined;
    }
    const row = this.buffer[this.index++];
    this.rowsRead += 1;
    return row;
  }

  private async fetch(): Promise<void> {
    const postgres = this.manager.connection.options.type === 'postgres';
    const expr = this.shape.keys.map((key, i) => (postgres && this.shape.textKeys[i] ? `"${key}" COLLATE "C"` : `"${key}"`));
    const params: Record<string, unknown> = { limit: this.pageSize };
    let where = '';
    if (this.last !== undefined) {
      this.last.forEach((value, i) => (params[`k${i}`] = value));
      const placeholders = this.shape.keys.map((_, i) => `:k${i}`);
      where = expr.length === 1 ? `WHERE ${expr[0]} > ${placeholders[0]}` : `WHERE (${expr.join(', ')}) > (${placeholders.join(', ')})`;
    }
    const sql = `SELECT * FROM "${this.shape.table}" ${where} ORDER BY ${expr.join(', ')} LIMIT :limit`;
    const { rows } = await runSql<Row>(this.manager, sql, params);
    this.buffer = rows;
    this.index = 0;
    if (rows.length < this.pageSize) this.exhausted = true;
    if (rows.length > 0) this.last = this.shape.keys.map((key) => rows[rows.length - 1][key]);
  }
}

/** Orders two key tuples as the SQL above does: numbers numerically, text by UTF-8 bytes. */
export function compareKeys(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = compareValue(a[i], b[i]);
    if (order !== 0) return order;
  }
  return 0;
}

function compareValue(a: unknown, b: unknown): number {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    const [x, y] = [BigInt(a), BigInt(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return Buffer.compare(Buffer.from(String(a), 'utf8'), Buffer.from(String(b), 'utf8'));
}

/** One spelling per value, so that rows read from the same kind of database compare equal when they are. */
export function normalizeValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
