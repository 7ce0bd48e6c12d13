import { type EntityManager, type EntityTarget, In, type ObjectLiteral } from 'typeorm';

/** Ids per `IN (...)` list: well under SQLite's bound-parameter limit. */
const LOAD_CHUNK = 500;

/** Loads rows by primary key in chunks. */
export async function loadRows<E extends ObjectLiteral>(
  tx: EntityManager,
  entity: EntityTarget<E>,
  key: keyof E & string,
  ids: readonly string[],
): Promise<Map<string, E>> {
  const rows = new Map<string, E>();
  for (let i = 0; i < ids.length; i += LOAD_CHUNK) {
    const where = { [key]: In(ids.slice(i, i + LOAD_CHUNK)) } as never;
    for (const row of await tx.getRepository(entity).findBy(where)) rows.set(row[key] as string, row);
  }
  return rows;
}
