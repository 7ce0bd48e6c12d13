import type { EventStore } from '@smilepay/shared/eventstore';
import type { DataSource } from 'typeorm';
import { deleteCheckpoint, NO_CHECKPOINT, readCheckpoint } from './checkpoint/checkpoints';
import { commitBatch } from './commit-batch';
import type { Projection } from './projection';
import { readModelTransaction, runSql } from './read-model-transaction';

export interface RebuildProgress {
  projection: string;
  /** Position the read model has reached. */
  position: bigint;
  /** Position the rebuild stops at (the head when it started, or `upTo`). */
  target: bigint;
  /** Events read so far, whatever their type. */
  eventsRead: number;
}

export interface RebuildOptions {
  /** Stop after this position (inclusive); defaults to the store's head when the rebuild starts. */
  upTo?: bigint;
  /** Events per page and per transaction: memory stays bounded by one page (default 500). */
  pageSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
}

export interface RebuildResult {
  position: bigint;
  eventsRead: number;
}

const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Empties the projection's tables and checkpoint, then replays `$all` from position 0 up to the target, a page per
 * transaction. The checkpoint moves with the same compare-and-set as the runner, so a runner that keeps going
 * during the rebuild resumes from the rebuilt checkpoint and no event is applied twice.
 */
export async function rebuildProjection(
  store: EventStore,
  dataSource: DataSource,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const pageSize = options.pageSize ?? 500;
  if (!(pageSize > 0 && pageSize <= 10_000)) throw new Error(`rebuild pageSize must be 1..10000 (got ${pageSize})`);
  const target = options.upTo ?? (await store.headPosition());
  await reset(dataSource, projection);
  let checkpoint = NO_CHECKPOINT;
  let eventsRead = 0;
  const progress = () => options.onProgress?.({ projection: projection.name, position: checkpoint, target, eventsRead });
  while (checkpoint < target) {
    const page = await store.readAll({ after: checkpoint, maxCount: pageSize });
    const events = page.events.filter((event) => event.position <= target);
    if (events.length === 0) break;
    eventsRead += events.length;
    if (await commitBatch(dataSource, projection, checkpoint, events)) {
      checkpoint = events[events.length - 1].position;
    } else {
      const stored = await readCheckpoint(dataSource, projection.name);
      // A runner still running moved it forwards: those events are in the read model, carry on after them.
      if (stored <= checkpoint) throw new Error(`rebuild of ${projection.name}: checkpoint was reset by someone else`);
      checkpoint = stored;
    }
    progress();
    if (page.isEnd) break;
  }
  progress();
  return { position: checkpoint, eventsRead };
}

async function reset(dataSource: DataSource, projection: Projection): Promise<void> {
  for (const table of projection.tables) {
    if (!TABLE_NAME.test(table)) throw new Error(`projection ${projection.name}: bad table name "${table}"`);
  }
  await readModelTransaction(dataSource, async (tx) => {
    // Checkpoint first: on PostgreSQL this waits for a runner's in-flight batch (which holds the checkpoint row) to
    // commit, so the DELETEs below, each with a fresh READ COMMITTED snapshot, also remove that batch's rows.
    // The other order would leave those rows behind and the replay would apply their events a second time.
    await deleteCheckpoint(tx, projection.name);
    for (const table of projection.tables) await runSql(tx, `DELETE FROM "${table}"`);
  });
}
