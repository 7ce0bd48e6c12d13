import type { RecordedEvent } from '@smilepay/shared/eventstore';
import type { DataSource } from 'typeorm';
import { compareAndSetCheckpoint } from './checkpoint/checkpoints';
import type { Projection } from './projection';
import { readModelTransaction } from './read-model-transaction';

class CheckpointMoved extends Error {}

/**
 * Applies `events` (all after `expected`, in order) and moves the checkpoint to the last one in one transaction.
 * The compare-and-set runs first so that, on PostgreSQL, a racing instance blocks on the checkpoint row instead of
 * doing the work twice. Returns false, with nothing written, when the checkpoint was not `expected`.
 */
export async function commitBatch(
  dataSource: DataSource,
  projection: Projection,
  expected: bigint,
  events: RecordedEvent[],
): Promise<boolean> {
  const last = events[events.length - 1];
  try {
    await readModelTransaction(dataSource, async (tx) => {
      if (!(await compareAndSetCheckpoint(tx, projection.name, expected, last.position))) throw new CheckpointMoved();
      await projection.apply(events, tx);
    });
    return true;
  } catch (error) {
    if (error instanceof CheckpointMoved) return false;
    throw error;
  }
}
