import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ClaimsService, SettlementSweeper } from '@smilepay/claims/application';
import { ClaimsQueries } from '@smilepay/claims/infrastructure';

/** How often approvals still owed a reimbursement or a face lock are retried. */
const SWEEP_INTERVAL_MS = 30_000;

/** Runs the claims settlement sweeper for this process's lifetime (see SettlementSweeper). */
@Injectable()
export class ClaimsSettlementRunner implements OnApplicationBootstrap, OnModuleDestroy {
  readonly sweeper: SettlementSweeper;

  constructor(claims: ClaimsService, queries: ClaimsQueries) {
    this.sweeper = new SettlementSweeper(claims, (limit) => queries.awaitingSettlement(limit), new Logger('ClaimsSettlement'), {
      intervalMs: SWEEP_INTERVAL_MS,
    });
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweeper.stop();
  }
}
