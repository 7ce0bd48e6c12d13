import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ClaimsService, SettlementSweeper } from '@smilepay/claims/application';
import { ClaimsQueries } from '@smilepay/claims/infrastructure';
import { ClusterService } from '../cluster/cluster.service';

/** How often approvals still owed a reimbursement or a face lock are retried. */
const SWEEP_INTERVAL_MS = 30_000;

/**
 * Runs the claims settlement sweeper (see SettlementSweeper) on the cluster's leader only: settling is idempotent, but
 * every instance sweeping the same claims would only multiply the work and the conflicts.
 */
@Injectable()
export class ClaimsSettlementRunner implements OnModuleInit, OnModuleDestroy {
  readonly sweeper: SettlementSweeper;

  constructor(
    claims: ClaimsService,
    queries: ClaimsQueries,
    private readonly cluster: ClusterService,
  ) {
    this.sweeper = new SettlementSweeper(claims, (limit) => queries.awaitingSettlement(limit), new Logger('ClaimsSettlement'), {
      intervalMs: SWEEP_INTERVAL_MS,
    });
  }

  onModuleInit(): void {
    this.cluster.register({ name: 'claims-settlement', start: () => this.sweeper.start(), stop: () => this.sweeper.stop() });
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweeper.stop();
  }
}
