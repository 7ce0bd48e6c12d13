import type { DataSource, EntityManager } from 'typeorm';
import { runSql } from '../read-model-transaction';

/** The checkpoint of a projection that has committed nothing yet: every store position is after it. */
export const NO_CHECKPOINT = -1n;

function managerOf(source: DataSource | EntityManager): EntityManager {
  return 'manager' in source ? source.manager : source;
}

/** The committed checkpoint of `name`, or NO_CHECKPOINT when it has none. */
export async function readCheckpoint(source: DataSource | EntityManager, name: string): Promise<bigint> {
  const { rows } = await runSql<{ position: string }>(
    managerOf(source),
    `SELECT "position" FROM "projection_checkpoints" WHERE "name" = :name`,
    { name },
  );
  return rows.length === 0 ? NO_CHECKPOINT : BigInt(rows[0].position);
}

/**
 * Moves the checkpoint from `expected` to `next` inside the caller's transaction. Returns false when the stored
 * checkpoint is not `expected` (another instance moved it): the caller must roll back.
 * The first move inserts the row; the primary key makes a concurrent first insert affect 0 rows.
 */
export async function compareAndSetCheckpoint(
  tx: EntityManager,
  name: string,
  expected: bigint,
  next: bigint,
): Promise<boolean> {
  if (next <= expected) throw new Error(`checkpoint ${name} must move forwards (${expected} -> ${next})`);
  const updatedAt = new Date();
  const { affected } =
    expected === NO_CHECKPOINT
      ? await runSql(
          tx,
          `INSERT INTO "projection_checkpoints" ("name", "position", "updated_at") VALUES (:name, :next, :updatedAt) ` +
            `ON CONFLICT ("name") DO NOTHING`,
          { name, next: next.toString(), updatedAt },
        )
      : await runSql(
          tx,
          `UPDATE "projection_checkpoints" SET "position" = :next, "updated_at" = :updatedAt ` +
            `WHERE "name" = :name AND "position" = :expected`,
          { name, next: next.toString(), expected: expected.toString(), updatedAt },
        );
  return affected === 1;
}

export async function deleteCheckpoint(tx: EntityManager, name: string): Promise<void> {
  await runSql(tx, `DELETE FROM "projection_checkpoints" WHERE "name" = :name`, { name });
}
