import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';
import {
  ProjectionRunner,
  ProjectionWaitTimeoutError,
  readCheckpoint,
  type ReadModelDataSource,
} from '@smilepay/shared/projections';
import type { ApiConfig } from '../config/api-config';
import { Subject } from 'rxjs';
import { creditForwarderProjection } from '../ledger/credit-forwarder.projection';
import { readModelRegistry } from './read-model-registry';
import { EVENT_STORE, READ_MODELS } from './tokens';

/** How often a non-projecting instance re-reads the checkpoints while a caller waits (bounded by its timeout). */
const CHECKPOINT_POLL_MS = 25;

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
  /** False when another instance runs the projections (API_CONSUMERS=off): this one only reads what they commit. */
  readonly runsProjections: boolean;
  private readonly names: string[];

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODELS) private readonly dataSource: ReadModelDataSource,
    config: ConfigService,
  ) {
    this.runsProjections = config.getOrThrow<ApiConfig>('api').consumers === 'on';
    this.runner = new ProjectionRunner({
      store,
      dataSource,
      // The forwarder writes events rather than rows but wants the same durable, compare-and-set checkpoint.
      projections: [...readModelRegistry.projections, creditForwarderProjection(store, this.logger)],
      logger: this.logger,
      onCommitted: (projection, events) => this.committed$.next({ projection, events }),
    });
    this.names = [...readModelRegistry.projections.map((p) => p.name), creditForwarderProjection(store, this.logger).name];
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runsProjections) {
      this.logger.log('projections run in another instance (API_CONSUMERS=off)');
      return;
    }
    await this.runner.start();
  }

  // Before any onApplicationShutdown hook, so the store and database are still open while subscriptions drain.
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    this.committed$.complete();
  }

  /** Resolves once every projection has applied the event at `position` (read-your-writes for the api). */
  waitFor(position: bigint, timeoutMs = 5_000): Promise<void> {
    if (this.runsProjections) return this.runner.waitFor(position, { timeoutMs });
    return this.waitForCommittedCheckpoints(position, timeoutMs);
  }

  /** Without a runner here, the shared checkpoints table says how far the instance that runs them got. */
  private async waitForCommittedCheckpoints(position: bigint, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind: Record<string, bigint> = {};
      for (const name of this.names) {
        const checkpoint = await readCheckpoint(this.dataSource, name);
        if (checkpoint < position) behind[name] = checkpoint;
      }
      if (Object.keys(behind).length === 0) return;
      if (Date.now() >= deadline) throw new ProjectionWaitTimeoutError(position, behind);
      await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_POLL_MS));
    }
  }
}
