import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { RISK_ALERTS_PROJECTION, RiskAlertsQueries } from '@smilepay/risk/infrastructure';
import type { Subscription } from 'rxjs';
import { type CommittedBatch, ProjectionsService } from '../infrastructure/projections.service';
import { LiveGateway } from '../live/live.gateway';

/** Alerts waiting to be pushed; beyond it the oldest are dropped (dashboards re-read the queue on reconnect). */
export const MAX_PENDING_ALERTS = 1_000;
const READ_CHUNK = 200;

/**
 * Pushes `alert.raised` for every alert a committed batch of the `risk_alerts` projection raised or changed (the
 * dashboard upserts by id, so a status change travels on the same event), read back from the query side.
 */
@Injectable()
export class AlertsLivePublisher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AlertsLive');
  private readonly pending = new Set<string>();
  private subscription: Subscription | undefined;
  private flushing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly projections: ProjectionsService,
    private readonly queries: RiskAlertsQueries,
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
    if (this.stopped || batch.projection !== RISK_ALERTS_PROJECTION) return;
    for (const event of batch.events) {
      if (!event.streamId.startsWith('risk_alert-')) continue;
      if (this.pending.size >= MAX_PENDING_ALERTS) this.pending.delete(this.pending.values().next().value as string);
      this.pending.add(event.streamId.slice('risk_alert-'.length));
    }
    if (this.pending.size > 0) this.flushing ??= this.flush().finally(() => (this.flushing = null));
  }

  private async flush(): Promise<void> {
    while (!this.stopped && this.pending.size > 0) {
      const ids = [...this.pending].slice(0, READ_CHUNK);
      for (const id of ids) this.pending.delete(id);
      try {
        for (const view of await this.queries.views(ids)) this.live.broadcast('alert.raised', view);
      } catch (error) {
        this.logger.error(`could not push ${ids.length} alert updates: ${String(error)}`);
      }
    }
  }
}
