import type { DataSource, EntityManager } from 'typeorm';
import type { Projection, RebuildIndex } from './projection';
import { readModelTransaction, runSql } from './read-model-transaction';

const INDEX_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const IDEMPOTENT_CREATE = /^CREATE (UNIQUE )?INDEX IF NOT EXISTS "([a-z_][a-z0-9_]{0,62})" ON /;

function checked(projection: Projection, index: RebuildIndex): RebuildIndex {
  const match = IDEMPOTENT_CREATE.exec(index.create);
  if (!INDEX_NAME.test(index.name) || match === null || match[2] !== index.name) {
    throw new Error(
      `projection ${projection.name}: rebuild index "${index.name}" needs CREATE INDEX IF NOT EXISTS "${index.name}" ON ...`,
    );
  }
  return index;
}

/** Drops the projection's rebuild indexes inside the rebuild's reset transaction. */
export async function dropRebuildIndexes(tx: EntityManager, projection: Projection): Promise<void> {
  for (const index of projection.rebuildIndexes ?? []) {
    await runSql(tx, `DROP INDEX IF EXISTS "${checked(projection, index).name}"`);
  }
}

/**
 * Creates whichever rebuild indexes are missing, each in its own transaction. Two instances starting at once on
 * PostgreSQL may both pass IF NOT EXISTS; the loser's duplicate is success.
 */
export async function createRebuildIndexes(dataSource: DataSource, projections: readonly Projection[]): Promise<void> {
  for (const projection of projections) {
    for (const index of projection.rebuildIndexes ?? []) {
      const { create } = checked(projection, index);
      try {
        await readModelTransaction(dataSource, (tx) => runSql(tx, create));
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== '23505' && code !== '42P07') throw error;
      }
    }
  }
}
