import { DomainError } from '@smilepay/shared/domain';
import type { ClaimsService } from '../claims.service';
import type { ClaimsLogger } from '../streams/context';

export interface SettlementSweeperOptions {
  /** Time between sweeps. */
  intervalMs?: number;
  /** Most claims settled per sweep. */
  maxPerSweep?: number;
  /** ISO-8601 now for the settle commands; tests pass their own. */
  clock?: () => Date;
}

/** Claims whose refusal was already logged, remembered so a stuck claim logs once per process, not every sweep. */
const MAX_REMEMBERED_REFUSALS = 1_000;

/**
 * Completes approvals whose settlement did not finish (the process died between the approval and the money, the
 * reserve was empty, the enrollment service was unreachable): every sweep asks the read model for approved claims
 * still owed a reimbursement or a face lock and settles them again, which is idempotent. It runs outside any
 * read-model transaction on purpose: the face lock writes the enrollment vault, which may share that database.
 */
export class SettlementSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly refused = new Set<string>();
  private readonly intervalMs: number;
  private readonly maxPerSweep: number;
  private readonly clock: () => Date;

  constructor(
    private readonly claims: Pick<ClaimsService, 'settle'>,
    private readonly awaitingSettlement: (limit: number) => Promise<string[]>,
    private readonly logger: ClaimsLogger,
    options: SettlementSweeperOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 30_000;
    this.maxPerSweep = options.maxPerSweep ?? 20;
    this.clock = options.clock ?? (() => new Date());
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.running !== undefined) return;
      this.running = this.sweepOnce()
        .then(
          () => undefined,
          (error: unknown) => this.logger.error(`claim settlement sweep failed: ${String(error)}`),
        )
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** True between start and stop: on a cluster, only on the leader. */
  get started(): boolean {
    return this.timer !== undefined;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Settles what the read model says is outstanding; returns the claim ids settled without error. */
  async sweepOnce(): Promise<string[]> {
    const settled: string[] = [];
    for (const claimId of await this.awaitingSettlement(this.maxPerSweep)) {
      const context = { correlationId: `settle:${claimId}`, actor: 'system:claims-settlement' };
      try {
        await this.claims.settle({ claimId, at: this.clock() }, context);
        settled.push(claimId);
        this.refused.delete(claimId);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        this.logRefusalOnce(claimId, error);
      }
    }
    return settled;
  }

  private logRefusalOnce(claimId: string, error: DomainError): void {
    if (this.refused.has(claimId)) return;
    if (this.refused.size >= MAX_REMEMBERED_REFUSALS) this.refused.clear();
    this.refused.add(claimId);
    this.logger.warn(`claim ${claimId} could not be settled (${error.code}): ${error.message}; will retry`);
  }
}
