import type { EventStore, RecordedEvent, Subscription } from '@smilepay/shared/eventstore';
import type { DataSource } from 'typeorm';
import { backoffDelayMs, type RetryPolicy, sleep } from './backoff';
import { NO_CHECKPOINT, readCheckpoint } from './checkpoint/checkpoints';
import { createRebuildIndexes } from './rebuild-indexes';
import { commitBatch } from './commit-batch';
import type { Projection, ProjectionLogger } from './projection';

export interface ProjectionFailure {
  projection: string;
  error: unknown;
  /** Consecutive failed attempts so far, 1-based. */
  attempt: number;
  /** Positions of the batch being applied, when the failure happened while applying one. */
  fromPosition?: bigint;
  toPosition?: bigint;
  /** False when attempts are exhausted: the projection stops at its last committed checkpoint. */
  willRetry: boolean;
}

export type ProjectionState = 'starting' | 'running' | 'failed' | 'stopped';

export interface WorkerSettings {
  store: EventStore;
  dataSource: DataSource;
  logger: ProjectionLogger;
  retry: RetryPolicy;
  batchSize: number;
  pollIntervalMs?: number;
  signal: AbortSignal;
  onAdvanced(): void;
  onCommitted?: (projectionName: string, events: RecordedEvent[]) => void | Promise<void>;
  onError?: (failure: ProjectionFailure) => void;
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}

/** Runs one projection: its own subscription from its own checkpoint, so one failing projection stalls no other. */
export class ProjectionWorker {
  checkpoint = NO_CHECKPOINT;
  state: ProjectionState = 'starting';
  lastError: unknown;
  private subscription: Subscription | undefined;
  private restartRequested = false;
  private failures = 0;

  constructor(
    readonly projection: Projection,
    private readonly settings: WorkerSettings,
  ) {}

  get name(): string {
    return this.projection.name;
  }

  /** Subscribes until stopped or failed; resubscribes after a checkpoint moved backwards or the subscription died. */
  async run(ready: () => void): Promise<void> {
    const { signal } = this.settings;
    while (!signal.aborted && !this.isFailed()) {
      try {
        // Indexes an interrupted rebuild left dropped come back before the projection runs again.
        await createRebuildIndexes(this.settings.dataSource, [this.projection]);
        this.checkpoint = await readCheckpoint(this.settings.dataSource, this.name);
        this.settings.onAdvanced();
        this.restartRequested = false;
        this.subscription = this.settings.store.subscribeToAll((events) => this.onBatch(events), {
          after: this.checkpoint,
          batchSize: this.settings.batchSize,
          pollIntervalMs: this.settings.pollIntervalMs,
        });
        if (this.state === 'starting') this.state = 'running';
        ready();
        if (signal.aborted) await this.subscription.stop();
        await this.subscription.done;
        const endedOnItsOwn = !signal.aborted && !this.restartRequested && !this.isFailed();
        if (endedOnItsOwn) throw new Error('subscription to $all ended without being stopped');
      } catch (error) {
        ready();
        if (!(await this.failed(error, {}))) return;
      }
    }
    if (!this.isFailed()) this.state = 'stopped';
  }

  // A method, not an inline comparison: the state changes across awaits, which TypeScript's narrowing ignores.
  isFailed(): boolean {
    return this.state === 'failed';
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  private async onBatch(events: RecordedEvent[]): Promise<void> {
    while (!this.settings.signal.aborted && !this.restartRequested && !this.isFailed()) {
      // Re-delivered events (at or below the checkpoint) are already in the read model: skip them.
      const fresh = events.filter((event) => event.position > this.checkpoint);
      if (fresh.length === 0) return;
      const batch = { fromPosition: fresh[0].position, toPosition: fresh[fresh.length - 1].position };
      try {
        if (await commitBatch(this.settings.dataSource, this.projection, this.checkpoint, fresh)) {
          await this.committed(fresh);
          return;
        }
        await this.reloadAfterConflict();
      } catch (error) {
        if (!(await this.failed(error, batch))) return;
      }
    }
  }

  private async committed(events: RecordedEvent[]): Promise<void> {
    this.checkpoint = events[events.length - 1].position;
    this.failures = 0;
    this.settings.onAdvanced();
    if (this.settings.onCommitted === undefined) return;
    try {
      await this.settings.onCommitted(this.name, events);
    } catch (error) {
      // The rows are committed; a failing listener must not roll the projection back or stop it.
      this.settings.logger.error(`projection ${this.name}: onCommitted listener failed: ${String(error)}`, stackOf(error));
    }
  }

  /** Another instance moved the checkpoint: continue from where it is now, or resubscribe if it went backwards. */
  private async reloadAfterConflict(): Promise<void> {
    const stored = await readCheckpoint(this.settings.dataSource, this.name);
    this.settings.logger.warn(
      `projection ${this.name}: checkpoint moved by another instance (expected ${this.checkpoint}, found ${stored}); batch rolled back`,
    );
    if (stored <= this.checkpoint) {
      // Moved backwards (a rebuild reset it) or vanished: events before our subscription position are needed again.
      this.checkpoint = stored;
      this.restartRequested = true;
      void this.subscription?.stop();
      return;
    }
    this.checkpoint = stored;
    this.settings.onAdvanced();
  }

  /** Logs and reports a failure; waits the backoff and returns true to retry, or stops the projection. */
  private async failed(error: unknown, batch: { fromPosition?: bigint; toPosition?: bigint }): Promise<boolean> {
    this.failures++;
    this.lastError = error;
    const willRetry = this.failures < this.settings.retry.maxAttempts && !this.settings.signal.aborted;
    const where = batch.fromPosition === undefined ? '' : ` applying positions ${batch.fromPosition}..${batch.toPosition}`;
    this.settings.logger.error(
      `projection ${this.name}: attempt ${this.failures}${where} failed: ${String(error)}` +
        (willRetry ? '; retrying' : `; stopped at checkpoint ${this.checkpoint}`),
      stackOf(error),
    );
    this.report({ projection: this.name, error, attempt: this.failures, ...batch, willRetry });
    if (!willRetry) {
      if (!this.settings.signal.aborted) this.state = 'failed';
      this.settings.onAdvanced();
      void this.subscription?.stop();
      return false;
    }
    await sleep(backoffDelayMs(this.settings.retry, this.failures), this.settings.signal);
    return true;
  }

  private report(failure: ProjectionFailure): void {
    try {
      this.settings.onError?.(failure);
    } catch (error) {
      this.settings.logger.error(`projection ${this.name}: onError listener failed: ${String(error)}`, stackOf(error));
    }
  }
}
