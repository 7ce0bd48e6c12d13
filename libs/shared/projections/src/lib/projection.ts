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
  apply(events: RecordedEvent[], tx: EntityManager): Promise<void>;
}

/** Structurally a subset of Nest's LoggerService, so a Nest `Logger` instance can be passed as is. */
export interface ProjectionLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, stack?: string): void;
}
