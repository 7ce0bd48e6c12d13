import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { CommittedBatch, ProjectionsService } from '../infrastructure/projections.service';

const READ_CHUNK = 200;

/**
 * Pushes the read-model rows a committed batch of one projection touched, read back from the query side so a dashboard
 * shows exactly the read model. Row ids come from the events' stream ids (`<streamPrefix><id>`). One flush runs at a
 * time; batches committed meanwhile only add ids to a bounded set, whose oldest ids are dropped beyond `maxPending`
 * (dashboards re-read their lists on reconnect).
 */
export abstract class CommittedRowsPublisher implements OnModuleInit, OnModuleDestroy {
  private readonly pending = new Set<string>();
  private subscription: Subscription | undefined;
  private flushing: Promise<void> | null = null;
  private stopped = false;

  protected constructor(
    private readonly projections: ProjectionsService,
    private readonly source: { projection: string; streamPrefix: string; maxPending: number; what: string },
    protected readonly logger: Logger,
  ) {}

  /** Reported on /metrics as smilepay_queue_depth{queue}. */
  get queueName(): string {
    return `live_push_${this.source.projection}`;
  }

  get queueDepth(): number {
    return this.pending.size;
  }

  /** Reads the rows with these ids and broadcasts them. */
  protected abstract push(ids: string[]): Promise<void>;

  onModuleInit(): void {
    this.subscription = this.projections.committed$.subscribe((batch) => this.onCommitted(batch));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    await this.flushing;
  }

  private onCommitted(batch: CommittedBatch): void {
    const { projection, streamPrefix, maxPending } = this.source;
    if (this.stopped || batch.projection !== projection) return;
    for (const event of batch.events) {
      if (!event.streamId.startsWith(streamPrefix)) continue;
      if (this.pending.size >= maxPending) this.pending.delete(this.pending.values().next().value as string);
      this.pending.add(event.streamId.slice(streamPrefix.length));
    }
    if (this.pending.size > 0) this.flushing ??= this.flush().finally(() => (this.flushing = null));
  }

  private async flush(): Promise<void> {
    while (!this.stopped && this.pending.size > 0) {
      const ids = [...this.pending].slice(0, READ_CHUNK);
      for (const id of ids) this.pending.delete(id);
      try {
        await this.push(ids);
      } catch (error) {
        this.logger.error(`could not push ${ids.length} ${this.source.what}: ${String(error)}`);
      }
    }
  }
}
