import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';
import type { DataSource, EntityManager } from 'typeorm';
import { compareAndSetCheckpoint, deleteCheckpoint, NO_CHECKPOINT, readCheckpoint } from './checkpoint/checkpoints';
import type { Projection } from './projection';
import { dialectOf } from './read-model-data-source';
import { readModelTransaction, runSql } from './read-model-transaction';
import { createRebuildIndexes, dropRebuildIndexes } from './rebuild-indexes';

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
  /** Events per page read from the store: memory stays bounded by one page (default 500, at most 10,000). */
  pageSize?: number;
  /**
   * Pages applied in one read-model transaction (default 1, at most 100). More pages per commit write each touched
   * read-model page once per commit instead of once per page; the pages themselves are still read and applied one
   * at a time, so memory does not grow with it. A runner waiting for the database waits that much longer.
   */
  pagesPerTransaction?: number;
  onProgress?: (progress: RebuildProgress) => void;
}

export interface RebuildResult {
  position: bigint;
  eventsRead: number;
}

/** Page cache of the SQLite read-model connection while a rebuild runs (KiB): the random-keyed indexes fit in it. */
export const REBUILD_SQLITE_CACHE_KIB = 32_768;

const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

class CheckpointMoved extends Error {}

/**
 * Empties the projection's tables and checkpoint, then replays `$all` from position 0 up to the target. The
 * checkpoint moves with the same compare-and-set as the runner, so a runner that keeps going during the rebuild
 * resumes from the rebuilt checkpoint and no event is applied twice.
 */
export async function rebuildProjection(
  store: EventStore,
  dataSource: DataSource,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  return rebuildProjections(store, dataSource, [projection], options);
}

/**
 * Rebuilds several projections in one pass over `$all`: each page is read once and applied to every projection, in
 * the same transaction, each with its own checkpoint compare-and-set. Secondary indexes a projection lists in
 * `rebuildIndexes` are dropped while it replays and created once at the end; if the rebuild is interrupted, the
 * next worker start or rebuild creates them (createRebuildIndexes).
 */
export async function rebuildProjections(
  store: EventStore,
  dataSource: DataSource,
  projections: readonly Projection[],
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const pageSize = options.pageSize ?? 500;
  if (!(Number.isSafeInteger(pageSize) && pageSize > 0 && pageSize <= 10_000))
    throw new Error(`rebuild pageSize must be 1..10000 (got ${pageSize})`);
  const pagesPerTransaction = options.pagesPerTransaction ?? 1;
  if (!(Number.isSafeInteger(pagesPerTransaction) && pagesPerTransaction > 0 && pagesPerTransaction <= 100))
    throw new Error(`rebuild pagesPerTransaction must be 1..100 (got ${pagesPerTransaction})`);
  if (projections.length === 0) throw new Error('rebuild needs at least one projection');
  const target = options.upTo ?? (await store.headPosition());
  await reset(dataSource, projections);
  const replay = new Replay(store, dataSource, projections, target, { pageSize, pagesPerTransaction });
  const restoreCache = await enlargeSqliteCache(dataSource);
  try {
    await replay.run(options.onProgress);
  } finally {
    await restoreCache();
  }
  await createRebuildIndexes(dataSource, projections);
  return { position: replay.position, eventsRead: replay.eventsRead };
}

/** The replay loop: checkpoints per projection, a read cursor, and transactions of several pages. */
class Replay {
  readonly checkpoints: bigint[];
  eventsRead = 0;
  private cursor = NO_CHECKPOINT;
  private done = false;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly projections: readonly Projection[],
    private readonly target: bigint,
    private readonly sizes: { pageSize: number; pagesPerTransaction: number },
  ) {
    this.checkpoints = projections.map(() => NO_CHECKPOINT);
  }

  /** Where every projection has got to: the smallest checkpoint. */
  get position(): bigint {
    return this.checkpoints.reduce((min, c) => (c < min ? c : min));
  }

  async run(onProgress: RebuildOptions['onProgress']): Promise<void> {
    const progress = () => {
      for (const [i, projection] of this.projections.entries())
        onProgress?.({ projection: projection.name, position: this.checkpoints[i], target: this.target, eventsRead: this.eventsRead });
    };
    while (!this.done && this.position < this.target) {
      const read = this.eventsRead;
      const staged = [...this.checkpoints];
      try {
        await readModelTransaction(this.dataSource, (tx) => this.applyPages(tx, staged));
        staged.forEach((checkpoint, i) => (this.checkpoints[i] = checkpoint));
      } catch (error) {
        if (!(error instanceof CheckpointMoved)) throw error;
        // A runner still running moved a checkpoint forwards: those events are in the read model, carry on after them.
        this.eventsRead = read;
        await this.reloadCheckpoints();
      }
      progress();
    }
    progress();
  }

  /** Reads and applies up to pagesPerTransaction pages inside `tx`, moving `staged` checkpoints as it goes. */
  private async applyPages(tx: EntityManager, staged: bigint[]): Promise<void> {
    this.cursor = staged.reduce((min, c) => (c < min ? c : min));
    for (let page = 0; page < this.sizes.pagesPerTransaction; page++) {
      const read = await this.store.readAll({ after: this.cursor, maxCount: this.sizes.pageSize });
      const events = read.events.filter((event) => event.position <= this.target);
      if (events.length === 0) {
        this.done = true;
        return;
      }
      this.eventsRead += events.length;
      for (const [i, projection] of this.projections.entries()) staged[i] = await applyAfter(tx, projection, staged[i], events);
      this.cursor = events[events.length - 1].position;
      if (read.isEnd || this.cursor >= this.target) {
        this.done = true;
        return;
      }
    }
  }

  private async reloadCheckpoints(): Promise<void> {
    for (const [i, projection] of this.projections.entries()) {
      const stored = await readCheckpoint(this.dataSource, projection.name);
      if (stored < this.checkpoints[i]) throw new Error(`rebuild of ${projection.name}: checkpoint was reset by someone else`);
      this.checkpoints[i] = stored;
    }
    this.done = false;
  }
}

/** Applies the events after `checkpoint` and moves it (compare-and-set first, as commitBatch does). */
async function applyAfter(tx: EntityManager, projection: Projection, checkpoint: bigint, events: RecordedEvent[]): Promise<bigint> {
  const start = events.findIndex((event) => event.position > checkpoint);
  if (start < 0) return checkpoint;
  const fresh = start === 0 ? events : events.slice(start);
  const last = fresh[fresh.length - 1].position;
  if (!(await compareAndSetCheckpoint(tx, projection.name, checkpoint, last))) throw new CheckpointMoved();
  await projection.apply(fresh, tx);
  return last;
}

async function reset(dataSource: DataSource, projections: readonly Projection[]): Promise<void> {
  for (const projection of projections)
    for (const table of projection.tables) {
      if (!TABLE_NAME.test(table)) throw new Error(`projection ${projection.name}: bad table name "${table}"`);
    }
  await readModelTransaction(dataSource, async (tx) => {
    for (const projection of projections) {
      // Checkpoint first: on PostgreSQL this waits for a runner's in-flight batch (which holds the checkpoint row) to
      // commit, so the DELETEs below, each with a fresh READ COMMITTED snapshot, also remove that batch's rows.
      // The other order would leave those rows behind and the replay would apply their events a second time.
      await deleteCheckpoint(tx, projection.name);
      for (const table of projection.tables) await runSql(tx, `DELETE FROM "${table}"`);
      await dropRebuildIndexes(tx, projection);
    }
  });
}

/**
 * SQLite only: a larger page cache on the read-model connection for the length of the rebuild (32 MiB instead of
 * the default 2 MiB; 64 MiB was no faster and cost 35 MiB more RSS), so the random-keyed primary key indexes stay in memory instead of being re-read from the file
 * for nearly every row. Returns what puts the previous size back.
 */
async function enlargeSqliteCache(dataSource: DataSource): Promise<() => Promise<void>> {
  if (dialectOf(dataSource) !== 'sqlite') return async () => undefined;
  const [{ cache_size: previous }] = (await dataSource.query('PRAGMA cache_size')) as { cache_size: number }[];
  await dataSource.query(`PRAGMA cache_size = -${REBUILD_SQLITE_CACHE_KIB}`);
  return async () => {
    if (dataSource.isInitialized) await dataSource.query(`PRAGMA cache_size = ${Math.trunc(Number(previous))}`);
  };
}
