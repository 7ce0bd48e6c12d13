import type { RecordedEvent } from '@smilepay/shared/eventstore';
import type { EntityManager } from 'typeorm';

/**
 * A read model fed from `$all`. `apply` receives every event of a batch after the projection's checkpoint, in
 * position order, inside the transaction that also moves the checkpoint: it ignores the types it does not know and
 * must write only through `tx`.
 */
export interface Projection {
  /** Checkpoint key; stable across releases (renaming it replays from position 0). */
  readonly name: string;
  /** Tables this projection owns: `rebuildProjection` empties them. */
  readonly tables: readonly string[];
  /**
   * Secondary indexes of those tables that nothing in `apply` needs. A rebuild drops them while it replays and
   * creates each once at the end (one sorted build instead of an index insert at a random page per row).
   */
  readonly rebuildIndexes?: readonly RebuildIndex[];
  apply(events: RecordedEvent[], tx: EntityManager): Promise<void>;
}

/**
 * `create` must be idempotent (`CREATE [UNIQUE] INDEX IF NOT EXISTS "<name>" ...`, the statement of the migration
 * that made the index): it also runs whenever a projection worker starts, which brings back indexes an interrupted
 * rebuild left dropped, and is a no-op otherwise.
 */
export interface RebuildIndex {
  name: string;
  create: string;
}

/** Structurally a subset of Nest's LoggerService, so a Nest `Logger` instance can be passed as is. */
export interface ProjectionLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, stack?: string): void;
}
