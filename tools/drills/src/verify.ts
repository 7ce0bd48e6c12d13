import { checkLedgerInvariants, openScratchReadModel, rebuildAndDiff, type RebuildDiffReport } from '@smilepay/audit/application';
import { checkoutProjections, checkoutReadModelEntities, checkoutReadModelMigrations } from '@smilepay/checkout/infrastructure';
import { claimsProjections, claimsReadModelEntities, claimsReadModelMigrations } from '@smilepay/claims/infrastructure';
import { CreateCustomerPhoneIndex1764300000100, CustomerPhoneEntity, enrollmentProjections } from '@smilepay/enrollment/infrastructure';
import { LedgerService } from '@smilepay/ledger/application';
import { ledgerProjections, ledgerReadModelEntities, ledgerReadModelMigrations } from '@smilepay/ledger/infrastructure';
import { riskAlertProjections, riskReadModelEntities, riskReadModelMigrations } from '@smilepay/risk/infrastructure';
import type { EventStore } from '@smilepay/shared/eventstore';
import { CreateProjectionCheckpoints1764100000000, ProjectionCheckpointEntity, type Projection, ReadModelDataSource, readCheckpoint, runSql } from '@smilepay/shared/projections';
import type { PaymentRecord } from './terminal-driver';

/**
 * The api's row-writing projections (apps/api/src/app/infrastructure/read-model-registry.ts, less the risk detector,
 * which appends alerts as it replays). A projection added there must be added here too, as for tools/audit.
 */
export const drillReadModels = {
  entities: [ProjectionCheckpointEntity, ...ledgerReadModelEntities, CustomerPhoneEntity, ...checkoutReadModelEntities, ...claimsReadModelEntities, ...riskReadModelEntities],
  migrations: [CreateProjectionCheckpoints1764100000000, ...ledgerReadModelMigrations, CreateCustomerPhoneIndex1764300000100, ...checkoutReadModelMigrations, ...claimsReadModelMigrations, ...riskReadModelMigrations],
  projections: [...ledgerProjections, ...enrollmentProjections, ...checkoutProjections, ...claimsProjections, ...riskAlertProjections] as Projection[],
};

export function openLiveReadModels(location: { sqlitePath: string; databaseUrl?: string; schema?: string }): Promise<ReadModelDataSource> {
  const dataSource = new ReadModelDataSource({ ...location, entities: drillReadModels.entities, migrations: [] });
  return dataSource.initialize();
}

/** Waits until every projection's committed checkpoint reached the store's head (the leader's work, read from SQL). */
export async function waitForProjections(store: EventStore, live: ReadModelDataSource, timeoutMs: number): Promise<number> {
  const started = Date.now();
  const head = await store.headPosition();
  for (;;) {
    const checkpoints = await Promise.all(drillReadModels.projections.map((p) => readCheckpoint(live, p.name)));
    if (checkpoints.every((c) => c >= head)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`projections did not reach head ${head}: ${checkpoints.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface PaymentFigures {
  payments: number;
  approved: number;
  declined: number;
  unknown: number;
  retriedRequests: number;
  approvedNotExactlyOnce: string[];
  declinedThatMovedMoney: string[];
  walletMismatches: string[];
  readModelMismatches: string[];
}

/** Compares what the terminal saw with the event store, the ledger and the read model. */
export async function checkPayments(store: EventStore, live: ReadModelDataSource, records: PaymentRecord[]): Promise<PaymentFigures> {
  const figures: PaymentFigures = {
    payments: records.length,
    approved: records.filter((r) => r.seen === 'approved').length,
    declined: records.filter((r) => r.seen === 'declined').length,
    unknown: records.filter((r) => r.seen === 'unknown').length,
    retriedRequests: records.reduce((sum, r) => sum + r.retries, 0),
    approvedNotExactlyOnce: [],
    declinedThatMovedMoney: [],
    walletMismatches: [],
    readModelMismatches: [],
  };
  const spent = new Map<string, bigint>();
  for (const record of records) {
    const events = await store.readStream(`checkout-${record.checkoutId}`);
    const authorized = events.filter((e) => e.type === 'PaymentAuthorized').length;
    const captured = events.filter((e) => e.type === 'PaymentCaptured').length;
    const { rows } = await runSql<{ status: string }>(live.manager, `SELECT "status" FROM "payments" WHERE "checkout_id" = :id`, { id: record.checkoutId });
    if (record.seen === 'approved') {
      if (authorized !== 1 || captured !== 1) figures.approvedNotExactlyOnce.push(`${record.checkoutId}: ${authorized} authorized, ${captured} captured`);
      if (rows.length !== 1 || rows[0].status !== 'captured') figures.readModelMismatches.push(`${record.checkoutId}: ${JSON.stringify(rows)}`);
      spent.set(record.customerId, (spent.get(record.customerId) ?? 0n) + record.amountMinor);
    } else if (record.seen === 'declined' && authorized !== 0) {
      figures.declinedThatMovedMoney.push(`${record.checkoutId}: ${authorized} authorized`);
    }
  }
  // Money moved exactly once per approval: each wallet's posted debits are the sum of its approved payments.
  const ledger = new LedgerService(store);
  for (const customerId of new Set(records.map((r) => r.customerId))) {
    const [registered] = await store.readStream(`customer-${customerId}`, { maxCount: 1 });
    const walletId = (registered.data as { walletAccountId: string }).walletAccountId;
    const view = await ledger.getAccountView(walletId);
    const debited = view.balances?.debitsPosted ?? 0n;
    const pending = view.balances?.debitsPending ?? 0n;
    const expected = spent.get(customerId) ?? 0n;
    if (debited !== expected || pending !== 0n) figures.walletMismatches.push(`${customerId}: debited ${debited}, pending ${pending}, approved ${expected}`);
  }
  return figures;
}

export async function ledgerFigures(store: EventStore): Promise<{ ok: boolean; line: string }> {
  const report = await checkLedgerInvariants(store);
  const currencies = report.currencies.map((c) => `${c.currency}: debits ${c.debitsPosted} = credits ${c.creditsPosted} posted, ${c.debitsPending} = ${c.creditsPending} pending`);
  return {
    ok: report.ok,
    line: `ledger: ${report.ledgerEvents} ledger events, ${report.accounts} accounts, ${report.violations.length} violations; ${currencies.join('; ')}`,
  };
}

export async function rebuildFigures(store: EventStore, live: ReadModelDataSource, databaseUrl?: string): Promise<{ report: RebuildDiffReport; line: string }> {
  const scratch = await openScratchReadModel({ entities: drillReadModels.entities, migrations: drillReadModels.migrations, databaseUrl });
  try {
    const report = await rebuildAndDiff(store, live, scratch.dataSource, drillReadModels.projections);
    const tables = report.projections.flatMap((p) => p.tables.map((t) => `${t.table} ${t.liveRows}/${t.rebuiltRows}`));
    const verdict = report.ok ? 'read model equals a rebuild' : `read model differs from a rebuild in ${report.differences.length} rows`;
    return { report, line: `${verdict} (live/rebuilt rows: ${tables.join(', ')})` };
  } finally {
    await scratch.dispose();
  }
}
