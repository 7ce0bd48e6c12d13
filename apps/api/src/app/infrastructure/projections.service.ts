import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';
import { ProjectionRunner, ProjectionWaitTimeoutError, readCheckpoint, type ReadModelDataSource } from '@smilepay/shared/projections';
import { Subject } from 'rxjs';
import { ClusterService } from '../cluster/cluster.service';
import { creditForwarderProjection } from '../ledger/credit-forwarder.projection';
import { readModelRegistry } from './read-model-registry';
import { EVENT_STORE, READ_MODELS } from './tokens';

export interface CommittedBatch {
  projection: string;
  events: RecordedEvent[];
}

/** How often a follower re-reads the leader's checkpoints while a request waits for its own writes. */
const FOLLOWER_POLL_MS = 50;

/**
 * Runs every projection, and with them the risk detector, while this instance is the cluster's leader (see
 * ClusterService). Live pushes to dashboards subscribe to `committed$`, which only fires after a batch's rows and
 * checkpoint committed, so what a dashboard shows always equals the read model; on a follower it stays silent and the
 * leader's pushes reach the follower's sockets through the Redis adapter.
 */
@Injectable()
export class ProjectionsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  readonly committed$ = new Subject<CommittedBatch>();
  readonly runner: ProjectionRunner;
  private readonly names: string[];

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODELS) private readonly dataSource: ReadModelDataSource,
    private readonly cluster: ClusterService,
  ) {
    // The forwarder writes events rather than rows but wants the same durable, compare-and-set checkpoint.
    const projections = [...readModelRegistry.projections, creditForwarderProjection(store, this.logger)];
    this.names = projections.map((p) => p.name);
    this.runner = new ProjectionRunner({
      store,
      dataSource,
      projections,
      logger: this.logger,
      onCommitted: (projection, events) => this.committed$.next({ projection, events }),
    });
    this.names = [...readModelRegistry.projections.map((p) => p.name), creditForwarderProjection(store, this.logger).name];
  }

  onModuleInit(): void {
    this.cluster.register({ name: 'projections', start: () => this.runner.start(), stop: () => this.runner.stop() });
  }

  // Before any onApplicationShutdown hook, so the store and database are still open while subscriptions drain.
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    this.committed$.complete();
  }

  /**
   * Resolves once every projection has applied the event at `position` (read-your-writes for the api). A follower
   * runs no projections, so it reads the leader's committed checkpoints from the database instead.
   */
  waitFor(position: bigint, timeoutMs = 5_000): Promise<void> {
    if (this.cluster.isLeader) return this.runner.waitFor(position, { timeoutMs });
    return this.waitForCommittedCheckpoints(position, timeoutMs);
  }

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
      // The leader may have changed while we waited: this instance may now be the one running the projections.
      if (this.cluster.isLeader) return this.runner.waitFor(position, { timeoutMs: Math.max(1, deadline - Date.now()) });
      await new Promise((resolve) => setTimeout(resolve, FOLLOWER_POLL_MS));
    }
  }
}
