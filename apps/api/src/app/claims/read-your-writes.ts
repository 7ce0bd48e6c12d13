import type { Logger } from '@nestjs/common';
import type { EventStore } from '@smilepay/shared/eventstore';
import type { ProjectionsService } from '../infrastructure/projections.service';

/**
 * Waits until the read models have everything a command appended, so the caller's next GET sees its own change.
 * The command already succeeded: if the projections are slow or stalled the answer still goes out, with a warning.
 */
export async function readYourWrites(store: EventStore, projections: ProjectionsService, logger: Logger): Promise<void> {
  try {
    await projections.waitFor(await store.headPosition());
  } catch (error) {
    logger.warn(`answering before the read models caught up: ${error instanceof Error ? error.message : String(error)}`);
  }
}
