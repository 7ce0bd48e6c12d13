import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';
import { ProjectionRunner, type ReadModelDataSource } from '@smilepay/shared/projections';
import { Subject } from 'rxjs';
import { creditForwarderProjection } from '../ledger/credit-forwarder.projection';
import { readModelRegistry } from './read-model-registry';
import { EVENT_STORE, READ_MODELS } from './tokens';

export interface CommittedBatch {
  projection: string;
  events: RecordedEvent[];
}

/**
 * Runs every projection in this process. Live pushes to dashboards subscribe to `committed$`, which only fires after
 * a batch's rows and checkpoint committed, so what a dashboard shows always equals the read model.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  readonly committed$ = new Subject<CommittedBatch>();
  readonly runner: ProjectionRunner;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(READ_MODELS) dataSource: ReadModelDataSource) {
    this.runner = new ProjectionRunner({
      store,
      dataSource,
      // The forwarder writes events rather than rows but wants the same durable, compare-and-set checkpoint.
      projections: [...readModelRegistry.projections, creditForwarderProjection(store, this.logger)],
      logger: this.logger,
      onCommitted: (projection, events) => this.committed$.next({ projection, events }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  // Before any onApplicationShutdown hook, so the store and database are still open while subscriptions drain.
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    this.committed$.complete();
  }

  /** Resolves once every projection has applied the event at `position` (read-your-writes for the api). */
  waitFor(position: bigint, timeoutMs = 5_000): Promise<void> {
    return this.runner.waitFor(position, { timeoutMs });
  }
}
