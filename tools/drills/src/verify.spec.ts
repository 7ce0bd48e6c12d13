import { openSqliteEventStore, type SqliteEventStore } from '@smilepay/shared/eventstore';
import { ReadModelDataSource, rebuildProjection, runSql } from '@smilepay/shared/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLedgerHistory } from './ledger-history';
import { drillReadModels, ledgerFigures, rebuildFigures } from './verify';

// The drills' oracles must be able to fail: a read model with one doubled batch is caught, a correct one passes.
describe('drill checks', () => {
  let dir: string;
  let store: SqliteEventStore;
  let live: ReadModelDataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smilepay-drill-spec-'));
    store = openSqliteEventStore(join(dir, 'events.sqlite'));
    await writeLedgerHistory(store, 300, 20);
    live = new ReadModelDataSource({ sqlitePath: join(dir, 'read-models.sqlite'), entities: drillReadModels.entities, migrations: drillReadModels.migrations });
    await live.migrate();
    for (const projection of drillReadModels.projections) await rebuildProjection(store, live, projection);
  });

  afterAll(async () => {
    await live.destroy();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the generated ledger history balanced per currency', async () => {
    const ledger = await ledgerFigures(store);
    expect(ledger.ok).toBe(true);
    expect(ledger.line).toMatch(/342 ledger events, 22 accounts, 0 violations; EUR: debits (\d+) = credits \1 posted/);
  });

  it('passes a read model equal to a rebuild and catches an event applied twice', async () => {
    expect((await rebuildFigures(store, live)).report.ok).toBe(true);
    // What a doubled batch does to the balances projection: a wallet debited twice for one payment.
    await runSql(live.manager, `UPDATE "ledger_accounts" SET "debits_posted" = "debits_posted" * 2 WHERE "kind" = 'customer_wallet' AND "id" IN (SELECT "id" FROM "ledger_accounts" WHERE "kind" = 'customer_wallet' LIMIT 1)`);
    const { report, line } = await rebuildFigures(store, live);
    expect(report.ok).toBe(false);
    expect(report.differences).toHaveLength(1);
    expect(line).toMatch(/differs from a rebuild in 1 rows/);
  });
});
