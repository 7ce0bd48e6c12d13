import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { isOpenSqliteTransaction, sqliteStatement } from './raw-sql';
import { sqliteValue } from './read-model-transaction';

/** Rows per statement: 100 rows of ~25 columns stay well under SQLite's 32,766 bound parameters. */
const UPSERT_CHUNK = 100;

/**
 * Writes whole rows of an entity: new ones are inserted, existing ones (by `key`) replaced, in the caller's read-model
 * transaction. On SQLite it is one prepared multi-row `INSERT … ON CONFLICT DO UPDATE` per chunk, with each value
 * converted exactly as TypeORM would persist it (the column's transformer, then the driver's own conversion); TypeORM's
 * `upsert` builds and escapes the whole statement anew for every call, which cost a projection more than the
 * writes themselves. PostgreSQL, or any row with a value TypeORM would treat specially, goes through TypeORM.
 */
export async function upsertEntities<E extends ObjectLiteral>(tx: EntityManager, entity: EntityTarget<E>, key: keyof E & string, rows: readonly E[]): Promise<void> {
  for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
    const chunk = rows.slice(i, i + UPSERT_CHUNK);
    if (!upsertOnSqlite(tx, entity, key, chunk)) await tx.getRepository(entity).upsert(chunk as never[], { conflictPaths: [key] });
  }
}

function upsertOnSqlite<E extends ObjectLiteral>(tx: EntityManager, entity: EntityTarget<E>, key: string, rows: readonly E[]): boolean {
  if (rows.length === 0) return true;
  if (!isOpenSqliteTransaction(tx)) return false;
  const metadata = tx.connection.getMetadata(entity);
  const columns = metadata.columns.filter((c) => c.isInsert && !c.isVirtual && !c.isGenerated);
  const keyColumn = columns.find((c) => c.propertyName === key);
  if (keyColumn === undefined || columns.some((c) => c.embeddedMetadata !== undefined || c.relationMetadata !== undefined)) return false;
  const values = rowValues(tx, columns, rows);
  if (values === undefined) return false;
  sqliteStatement(tx, upsertSql(metadata.tableName, columns, keyColumn, rows.length)).run(...values);
  return true;
}

/** Every row's values in column order, converted for SQLite; undefined if any needs TypeORM's own handling. */
function rowValues(tx: EntityManager, columns: ColumnMetadata[], rows: readonly ObjectLiteral[]): unknown[] | undefined {
  const driver = tx.connection.driver;
  const values: unknown[] = [];
  for (const row of rows) {
    for (const column of columns) {
      const raw: unknown = column.getEntityValue(row);
      // TypeORM writes DEFAULT for an absent property: only its own path does that.
      if (raw === undefined) return undefined;
      const value = sqliteValue(driver.preparePersistentValue(raw, column));
      if (value === undefined) return undefined;
      values.push(value);
    }
  }
  return values;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function upsertSql(table: string, columns: ColumnMetadata[], key: ColumnMetadata, rowCount: number): string {
  const names = columns.map((c) => quote(c.databaseName));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const updates = columns.filter((c) => c !== key).map((c) => `${quote(c.databaseName)} = excluded.${quote(c.databaseName)}`);
  return (
    `INSERT INTO ${quote(table)} (${names.join(', ')}) VALUES ${Array.from({ length: rowCount }, () => tuple).join(', ')} ` +
    `ON CONFLICT (${quote(key.databaseName)}) DO UPDATE SET ${updates.join(', ')}`
  );
}
