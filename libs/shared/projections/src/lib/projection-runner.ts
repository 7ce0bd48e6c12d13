import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';
import type { DataSource } from 'typeorm';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
import type { Projection, ProjectionLogger } from './projection';
import { type ProjectionFailure, type ProjectionState, ProjectionWorker } from './projection-worker';

export interface ProjectionRunnerOptions {
  store: EventStore;
  dataSource: DataSource;
  projections: Projection[];
  logger: ProjectionLogger;
  /** Most events read and applied in one transaction (default 200). */
  batchSize?: number;
  /** Live polling interval passed to the store's subscription. */
  pollIntervalMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Called after each committed batch, in commit order per projection; only then may changes be pushed to clients. */
  onCommitted?: (projectionName: string, events: RecordedEvent[]) => void | Promise<void>;
  /** Called for every failed attempt (after it was logged). */
  onError?: (failure: ProjectionFailure) => void;
  /** Most concurrent `waitFor` calls (default 10,000). */
  maxWaiters?: number;
}

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  /** Position of the last committed event, -1n before the first commit. */
  checkpoint: bigint;
  lastError?: unknown;
}

export class ProjectionWaitTimeoutError extends Error {
  constructor(
    readonly position: bigint,
    readonly behind: Record<string, bigint>,
  ) {
    super(`projections did not reach position ${position} in time: ${JSON.stringify(behind, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
    this.name = 'ProjectionWaitTimeoutError';
  }
}

export class ProjectionStoppedError extends Error {
  constructor(
    readonly projection: string,
    readonly reason: 'failed' | 'stopped',
    override readonly cause?: unknown,
  ) {
    super(`projection ${projection} ${reason}${cause === undefined ? '' : `: ${String(cause)}`}`);
    this.name = 'ProjectionStoppedError';
  }
}

interface Waiter {
  position: bigint;
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Runs projections from their checkpoints, one subscription each. Each batch is applied and the checkpoint moved in one
 * SQL transaction with a compare-and-set, so racing instances apply every event exactly once.
 */
export class ProjectionRunner {
  private readonly workers: ProjectionWorker[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly maxWaiters: number;
  private abort = new AbortController();
  private loops: Promise<void>[] = [];
  private started = false;

  constructor(private readonly options: ProjectionRunnerOptions) {
    const names = options.projections.map((p) => p.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate !== undefined) throw new Error(`projection ${duplicate} is registered twice`);
    this.maxWaiters = options.maxWaiters ?? 10_000;
  }

  /** Loads each checkpoint and subscribes; resolves once every projection is subscribed (or retrying). */
  async start(): Promise<void> {
    if (this.started) throw new Error('ProjectionRunner already started');
    this.started = true;
    this.abort = new AbortController();
    const retry = { ...DEFAULT_RETRY_POLICY, ...this.options.retry };
    this.workers.length = 0;
    const ready: Promise<void>[] = [];
    for (const projection of this.options.projections) {
      const worker = new ProjectionWorker(projection, {
        store: this.options.store,
        dataSource: this.options.dataSource,
        logger: this.options.logger,
        retry,
        batchSize: this.options.batchSize ?? 200,
        pollIntervalMs: this.options.pollIntervalMs,
        signal: this.abort.signal,
        onAdvanced: () => this.checkWaiters(),
        onCommitted: this.options.onCommitted,
        onError: this.options.onError,
      });
      this.workers.push(worker);
      ready.push(new Promise<void>((resolve) => this.loops.push(worker.run(resolve))));
    }
    await Promise.all(ready);
    this.options.logger.log(`projections started: ${this.describe()}`);
  }

  /** Stops every subscription after its in-flight batch settles; pending `waitFor` calls reject. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.abort.abort();
    await Promise.all(this.workers.map((w) => w.stop()));
    await Promise.all(this.loops);
    this.loops = [];
    this.started = false;
    for (const waiter of [...this.waiters]) this.settle(waiter, new ProjectionStoppedError('*', 'stopped'));
  }

  status(): ProjectionStatus[] {
    return this.workers.map((w) => ({ name: w.name, state: w.state, checkpoint: w.checkpoint, lastError: w.lastError }));
  }

  /** Head position of the store minus each projection's checkpoint (in positions, not event counts). */
  async lag(): Promise<Record<string, bigint>> {
    const head = await this.options.store.headPosition();
    const lag: Record<string, bigint> = {};
    for (const worker of this.workers) lag[worker.name] = head > worker.checkpoint ? head - worker.checkpoint : 0n;
    return lag;
  }

  /** Resolves once every projection has committed `position` (read-your-writes); rejects after timeoutMs. */
  waitFor(position: bigint, options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const blocked = this.blockedError();
    if (blocked !== undefined) return Promise.reject(blocked);
    if (this.reached(position)) return Promise.resolve();
    if (this.waiters.size >= this.maxWaiters) {
      return Promise.reject(new Error(`more than ${this.maxWaiters} callers waiting for projections`));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        position,
        resolve,
        reject,
        timer: setTimeout(() => this.settle(waiter, new ProjectionWaitTimeoutError(position, this.behind(position))), timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  private reached(position: bigint): boolean {
    return this.workers.length > 0 && this.workers.every((w) => w.checkpoint >= position);
  }

  private behind(position: bigint): Record<string, bigint> {
    const behind: Record<string, bigint> = {};
    for (const w of this.workers) if (w.checkpoint < position) behind[w.name] = w.checkpoint;
    return behind;
  }

  private blockedError(): ProjectionStoppedError | undefined {
    const failed = this.workers.find((w) => w.state === 'failed');
    return failed === undefined ? undefined : new ProjectionStoppedError(failed.name, 'failed', failed.lastError);
  }

  private checkWaiters(): void {
    if (this.waiters.size === 0) return;
    const blocked = this.blockedError();
    for (const waiter of [...this.waiters]) {
      if (blocked !== undefined) this.settle(waiter, blocked);
      else if (this.reached(waiter.position)) this.settle(waiter);
    }
  }

  private settle(waiter: Waiter, error?: Error): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }

  private describe(): string {
    return this.workers.map((w) => `${w.name}@${w.checkpoint}`).join(', ');
  }
}
