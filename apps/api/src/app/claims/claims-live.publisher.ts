import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CLAIMS_PROJECTION, ClaimsQueries } from '@smilepay/claims/infrastructure';
import type { Subscription } from 'rxjs';
import { type CommittedBatch, ProjectionsService } from '../infrastructure/projections.service';
import { LiveGateway } from '../live/live.gateway';

/** Claims waiting to be pushed; beyond it the oldest are dropped (dashboards re-read the queue on reconnect). */
export const MAX_PENDING_CLAIMS = 1_000;
const READ_CHUNK = 200;

/**
 * Pushes `claim.updated` for every claim a committed batch of the `claims` projection touched, read back from the
 * query side so a dashboard shows exactly the read model. One flush runs at a time; batches committed meanwhile only
 * add ids to a bounded set.
 */
@Injectable()
export class ClaimsLivePublisher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ClaimsLive');
  private readonly pending = new Set<string>();
  private subscription: Subscription | undefined;
  private flushing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly projections: ProjectionsService,
    @Inject(ClaimsQueries) private readonly queries: ClaimsQueries,
    private readonly live: LiveGateway,
  ) {}

  onModuleInit(): void {
    this.subscription = this.projections.committed$.subscribe((batch) => this.onCommitted(batch));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    await this.flushing;
  }

  private onCommitted(batch: CommittedBatch): void {
    if (this.stopped || batch.projection !== CLAIMS_PROJECTION) return;
    for (const event of batch.events) {
      if (!event.streamId.startsWith('claim-')) continue;
      const claimId = event.streamId.slice('claim-'.length);
      if (this.pending.size >= MAX_PENDING_CLAIMS) this.pending.delete(this.pending.values().next().value as string);
      this.pending.add(claimId);
    }
    if (this.pending.size > 0) this.flushing ??= this.flush().finally(() => (this.flushing = null));
  }

  private async flush(): Promise<void> {
    while (!this.stopped && this.pending.size > 0) {
      const ids = [...this.pending].slice(0, READ_CHUNK);
      for (const id of ids) this.pending.delete(id);
      try {
        for (const view of await this.queries.views(ids, new Date())) this.live.broadcast('claim.updated', view);
      } catch (error) {
        this.logger.error(`could not push ${ids.length} claim updates: ${String(error)}`);
      }
    }
  }
}
