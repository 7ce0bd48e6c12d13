import Database from 'better-sqlite3';
import { ledgerProjections, ledgerReadModelEntities, ledgerReadModelMigrations } from '@smilepay/ledger/infrastructure';
import {
  openTestReadModelDatabase,
  projectionEntities,
  projectionMigrations,
  rebuildProjection,
  type ReadModelDialect,
  runSql,
  TEST_POSTGRES_URL,
  type TestReadModelDatabase,
} from '@smilepay/shared/projections';
import { ACCOUNTS, LedgerScenario } from '../../testing/ledger-scenario';
import { rebuildAndDiff } from './rebuild-diff';
import { openScratchReadModel, type ScratchReadModel } from './scratch-read-model';

const models = { entities: [...projectionEntities, ...ledgerReadModelEntities], migrations: [...projectionMigrations, ...ledgerReadModelMigrations] };

describe.each<ReadModelDialect>(['sqlite', 'postgres'])('rebuild and diff against a live %s read model', (dialect) => {
  let scenario: LedgerScenario;
  let live: TestReadModelDatabase;
  let scratch: ScratchReadModel;

  beforeEach(async () => {
    scenario = await new LedgerScenario().run();
    live = await openTestReadModelDatabase(dialect, models);
    // The live model as the api's projectors leave it once caught up.
    for (const projection of ledgerProjections) await rebuildProjection(scenario.store, live.dataSource, projection);
    scratch = await openScratchReadModel({ ...models, databaseUrl: dialect === 'postgres' ? TEST_POSTGRES_URL : undefined });
  });

  afterEach(async () => {
    await scratch.dispose();
    await live.dispose();
    await scenario.dispose();
  });

  /** Corrupts the live model the way an operator's stray UPDATE would: outside the projectors. */
  async function corrupt(sql: string): Promise<void> {
    if (dialect === 'sqlite') {
      const db = new Database(live.dataSource.options.database as string);
      db.exec(sql);
      db.close();
    } else {
      await runSql(live.dataSource.manager, sql);
    }
  }

  const diff = () => rebuildAndDiff(scenario.store, live.dataSource, scratch.dataSource, ledgerProjections);

  it('finds nothing when the live read model is what its events produce', async () => {
    const report = await diff();
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    const accounts = report.projections.flatMap((p) => p.tables).find((t) => t.table === 'ledger_accounts');
    expect(accounts).toEqual({ table: 'ledger_accounts', liveRows: 7, rebuiltRows: 7, differences: 0 });
    expect(report.projections.every((p) => p.note === undefined && p.livePosition === p.rebuiltPosition)).toBe(true);
  });

  it('finds one changed row, naming its key and the column with both values', async () => {
    await corrupt(`UPDATE ledger_accounts SET credits_posted = '10999' WHERE id = '${ACCOUNTS.alice}'`);
    const report = await diff();
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual([
      {
        projection: 'ledger_balances',
        table: 'ledger_accounts',
        key: { id: ACCOUNTS.alice },
        kind: 'changed',
        columns: [{ column: 'credits_posted', live: '10999', rebuilt: '11000' }],
      },
    ]);
  });

  it('finds a deleted row and a row no event produced', async () => {
    await corrupt(`DELETE FROM ledger_accounts WHERE id = '${ACCOUNTS.bob}'`);
    await corrupt(
      `INSERT INTO ledger_accounts SELECT '${ACCOUNTS.bob.replace('b', '9')}', kind, currency, ledger, code, flags, debits_pending, ` +
        `debits_posted, credits_pending, credits_posted, opened_at, last_position FROM ledger_accounts WHERE id = '${ACCOUNTS.carol}'`,
    );
    const report = await diff();
    expect(report.differences.map((d) => [d.kind, d.key.id])).toEqual(
      expect.arrayContaining([
        ['missing_in_live', ACCOUNTS.bob],
        ['extra_in_live', ACCOUNTS.bob.replace('b', '9')],
      ]),
    );
    expect(report.differences).toHaveLength(2);
  });

  it('rebuilds only up to a given position, and says why rows then differ', async () => {
    const report = await rebuildAndDiff(scenario.store, live.dataSource, scratch.dataSource, ledgerProjections, { upTo: scenario.marks[3].position });
    expect(report.projections[0].rebuiltPosition).toBe(scenario.marks[3].position);
    expect(report.projections[0].note).toMatch(/live read model is at position/);
    expect(report.differences.length).toBeGreaterThan(0);
  });
});
