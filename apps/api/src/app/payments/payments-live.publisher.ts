import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { checkoutIdsOf, computeKpis, PAYMENTS_PROJECTION, paymentsByIds, toPaymentFeedItem } from '@smilepay/checkout/infrastructure';
import type { ReadModelDataSource } from '@smilepay/shared/projections';
import type { Subscription } from 'rxjs';
import { type CommittedBatch, ProjectionsService } from '../infrastructure/projections.service';
import { READ_MODELS_QUERY } from '../infrastructure/tokens';
import { LiveGateway } from '../live/live.gateway';

/** Payments waiting to be pushed. Beyond it the oldest are dropped: dashboards re-read the feed on reconnect anyway. */
export const MAX_PENDING_PAYMENTS = 5_000;
/** Rows read back per query. */
const READ_CHUNK = 200;
/** `kpi.updated` at most this often, however busy the payments are. */
export const KPI_INTERVAL_MS = 1_000;

/**
 * Pushes what the `payments` projection just committed: one `payments.updated` per chunk of payments the batches
 * touched (read back from the query side, so a dashboard shows exactly the read model) and a fresh `kpi.updated` at most once a
 * second. One flush runs at a time; batches that commit meanwhile only add ids to a bounded set, so a burst of
 * payments costs one read per chunk of ids, not one per event.
 */
@Injectable()
export class PaymentsLivePublisher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('PaymentsLive');
  private readonly pending = new Set<string>();
  private subscription: Subscription | undefined;
  private flushing: Promise<void> | null = null;
  private kpiDue = false;
  private lastKpiAtMs = Number.NEGATIVE_INFINITY;
  private kpiTimer: NodeJS.Timeout | undefined;
  private dropped = 0;
  private stopped = false;

  constructor(
    private readonly projections: ProjectionsService,
    @Inject(READ_MODELS_QUERY) private readonly readModels: ReadModelDataSource,
    private readonly live: LiveGateway,
  ) {}

  /** Reported on /metrics as smilepay_queue_depth{queue}. */
  readonly queueName = 'live_push_payments';

  get queueDepth(): number {
    return this.pending.size;
  }

  // Subscribed before any onApplicationBootstrap hook, so no batch the projections commit at start-up is missed.
  onModuleInit(): void {
    this.subscription = this.projections.committed$.subscribe((batch) => this.onCommitted(batch));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    clearTimeout(this.kpiTimer);
    await this.flushing;
  }

  private onCommitted(batch: CommittedBatch): void {
    if (this.stopped || batch.projection !== PAYMENTS_PROJECTION) return;
    const ids = checkoutIdsOf(batch.events);
    if (ids.length === 0) return;
    for (const id of ids) this.enqueue(id);
    this.kpiDue = true;
    this.kick();
  }

  private enqueue(checkoutId: string): void {
    if (this.pending.has(checkoutId)) return;
    if (this.pending.size >= MAX_PENDING_PAYMENTS) {
      const oldest = this.pending.values().next().value as string;
      this.pending.delete(oldest);
      if (this.dropped++ % 1_000 === 0) this.logger.warn(`live push is behind: dropped ${this.dropped} payment updates so far`);
    }
    this.pending.add(checkoutId);
  }

  private kick(): void {
    this.flushing ??= this.flush().finally(() => {
      this.flushing = null;
      if (!this.stopped && this.pending.size > 0) this.kick();
    });
  }

  private async flush(): Promise<void> {
    while (!this.stopped && this.pending.size > 0) {
      const ids = [...this.pending].slice(0, READ_CHUNK);
      for (const id of ids) this.pending.delete(id);
      try {
        const rows = await paymentsByIds(this.readModels, ids);
        rows.sort((a, b) => (a.lastPosition < b.lastPosition ? -1 : 1));
        if (rows.length > 0) this.live.broadcast('payments.updated', rows.map(toPaymentFeedItem));
      } catch (error) {
        this.logger.error(`could not push ${ids.length} payment updates: ${String(error)}`);
      }
    }
    await this.publishKpisWhenDue();
  }

  /** Leading and trailing throttle: at once if the last push was a second ago, else once when the second is up. */
  private async publishKpisWhenDue(): Promise<void> {
    if (this.stopped || !this.kpiDue) return;
    const waitMs = this.lastKpiAtMs + KPI_INTERVAL_MS - Date.now();
    if (waitMs > 0) {
      this.kpiTimer ??= setTimeout(() => {
        this.kpiTimer = undefined;
        this.kick();
      }, waitMs);
      return;
    }
    this.kpiDue = false;
    this.lastKpiAtMs = Date.now();
    try {
      this.live.broadcast('kpi.updated', await computeKpis(this.readModels, new Date()));
    } catch (error) {
      this.logger.error(`could not push KPIs: ${String(error)}`);
    }
  }
}
