import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type RecordedEvent, type SqliteEventStore } from '@smilepay/shared/eventstore';
import {
  type Projection,
  projectionEntities,
  projectionMigrations,
  ProjectionRunner,
  readCheckpoint,
  readModelTransaction,
  rebuildProjection,
  rebuildProjections,
  openTestReadModelDatabase,
  type TestReadModelDatabase,
} from '@smilepay/shared/projections';
import type { DataSource } from 'typeorm';
import { LEDGER_TRANSFERS_QUERY_INDEXES } from './create-ledger-read-models.migration';
import { LedgerAccountEntity } from './ledger-account.entity';
import { ledgerBalancesProjection } from './ledger-balances.projection';
import { ledgerProjections, ledgerReadModelEntities, ledgerReadModelMigrations } from './ledger-read-models';
import { LedgerScenario } from './ledger-scenario.fixture';
import { LedgerTransferEntity } from './ledger-transfer.entity';
import { ledgerTransfersProjection } from './ledger-transfers.projection';

const models = {
  entities: [...projectionEntities, ...ledgerReadModelEntities],
  migrations: [...projectionMigrations, ...ledgerReadModelMigrations],
};
const logger = { log: () => undefined, warn: () => undefined, error: (message: string) => console.error(message) };

/** The query indexes of ledger_transfers present in the database: a rebuild drops them and must put them back. */
async function queryIndexes(dataSource: DataSource): Promise<string[]> {
  const sql =
    dataSource.options.type === 'postgres'
      ? `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'ledger_transfers' AND indexname LIKE '%_idx'`
      : `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ledger_transfers' AND name LIKE '%_idx'`;
  return ((await dataSource.query(sql)) as { name: string }[]).map((row) => row.name).sort();
}

type Counters = { debitsPending: string; debitsPosted: string; creditsPending: string; creditsPosted: string };

async function balancesOf(ds: DataSource): Promise<Record<string, Counters & { kind: string; flags: string[] }>> {
  const rows = await ds.getRepository(LedgerAccountEntity).find({ order: { id: 'ASC' } });
  return Object.fromEntries(
    rows.map((r) => [
      r.id,
      {
        kind: r.kind,
        flags: r.flags,
        debitsPending: r.debitsPending.toString(),
        debitsPosted: r.debitsPosted.toString(),
        creditsPending: r.creditsPending.toString(),
        creditsPosted: r.creditsPosted.toString(),
      },
    ]),
  );
}

async function snapshot(ds: DataSource) {
  const transfers = await ds.getRepository(LedgerTransferEntity).find({ order: { id: 'ASC' } });
  return {
    accounts: await ds.getRepository(LedgerAccountEntity).find({ order: { id: 'ASC' } }),
    transfers: transfers.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), resolvedAt: t.resolvedAt?.toISOString() })),
  };
}

const counters = (debitsPending: bigint, debitsPosted: bigint, creditsPending: bigint, creditsPosted: bigint): Counters => ({
  debitsPending: debitsPending.toString(),
  debitsPosted: debitsPosted.toString(),
  creditsPending: creditsPending.toString(),
  creditsPosted: creditsPosted.toString(),
});

describe.each(['sqlite', 'postgres'] as const)('ledger projections on %s', (dialect) => {
  let dir: string;
  let store: SqliteEventStore;
  let db: TestReadModelDatabase;
  let ledger: LedgerScenario;
  let runner: ProjectionRunner | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smilepay-ledger-rm-'));
    store = openSqliteEventStore(join(dir, 'events.sqlite'));
    db = await openTestReadModelDatabase(dialect, models);
    ledger = new LedgerScenario(store);
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await store.close();
    await db.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function projectAll(): Promise<ProjectionRunner> {
    runner ??= new ProjectionRunner({ store, dataSource: db.dataSource, projections: ledgerProjections, logger, pollIntervalMs: 5, batchSize: 7 });
    if (runner.status().length === 0) await runner.start();
    await runner.waitFor(await store.headPosition());
    return runner;
  }

  /** Payments, fees, top-ups, refunds and every end of a pending transfer, with credits delivered to wallets. */
  async function dayOfTrading() {
    const external = await ledger.open('external');
    const wallet = await ledger.open('customer_wallet');
    const merchant = await ledger.open('merchant');
    const fees = await ledger.open('platform_fees');
    const reserve = await ledger.open('loss_reserve');
    const [topUp] = await ledger.transfer([{ debitAccountId: external, creditAccountId: wallet, amount: 10_000n, kind: 'single' }]);
    await ledger.transfer([
      { debitAccountId: wallet, creditAccountId: merchant, amount: 2_500n, kind: 'single' },
      { debitAccountId: merchant, creditAccountId: fees, amount: 100n, kind: 'single' },
    ]);
    const [toPost] = await ledger.transfer([{ debitAccountId: wallet, creditAccountId: merchant, amount: 3_000n, kind: 'pending', timeoutSeconds: 60 }]);
    const [toVoid] = await ledger.transfer([{ debitAccountId: wallet, creditAccountId: merchant, amount: 1_000n, kind: 'pending' }]);
    const [toExpire] = await ledger.transfer([{ debitAccountId: wallet, creditAccountId: merchant, amount: 500n, kind: 'pending', timeoutSeconds: 10 }]);
    const [incoming] = await ledger.transfer([{ debitAccountId: external, creditAccountId: wallet, amount: 400n, kind: 'pending' }]);
    return { external, wallet, merchant, fees, reserve, topUp, toPost, toVoid, toExpire, incoming };
  }

  it('projects balances and transfers from real ledger events, counting delivered credits once', async () => {
    const day = await dayOfTrading();
    await projectAll();
    expect((await balancesOf(db.dataSource))[day.wallet]).toMatchObject(counters(4_500n, 2_500n, 400n, 10_000n));

    const postId = await ledger.post(day.toPost, 2_000n);
    const voidId = await ledger.void(day.toVoid);
    await ledger.expire(day.toExpire, '2030-01-01T00:00:00.000Z');
    await ledger.post(day.incoming);
    await ledger.transfer([{ debitAccountId: day.merchant, creditAccountId: day.wallet, amount: 700n, kind: 'single' }]);
    await ledger.transfer([{ debitAccountId: day.fees, creditAccountId: day.reserve, amount: 50n, kind: 'single' }]);
    await projectAll();

    // Three credits reached the wallet stream as LedgerCreditApplied copies; they are in the store but counted once.
    const copies = (await store.readStream(`ledger_account-${day.wallet}`)).filter((e) => e.type === 'LedgerCreditApplied');
    expect(copies).toHaveLength(3);
    const balances = await balancesOf(db.dataSource);
    expect(balances[day.wallet]).toEqual({ kind: 'customer_wallet', flags: ['debits_must_not_exceed_credits'], ...counters(0n, 4_500n, 0n, 11_100n) });
    expect(balances[day.merchant]).toMatchObject(counters(0n, 800n, 0n, 4_500n));
    expect(balances[day.fees]).toMatchObject(counters(0n, 50n, 0n, 100n));
    expect(balances[day.reserve]).toMatchObject(counters(0n, 0n, 0n, 50n));
    expect(balances[day.external]).toMatchObject({ flags: [], ...counters(0n, 10_400n, 0n, 0n) });
    // With every credit delivered, the wallet stream's own view and the read model agree.
    const view = await ledger.accountView(day.wallet);
    expect(view.status === 'open' && view.balances).toEqual({ debitsPending: 0n, debitsPosted: 4_500n, creditsPending: 0n, creditsPosted: 11_100n });

    const transfers = await db.dataSource.getRepository(LedgerTransferEntity).findBy({});
    expect(transfers).toHaveLength(12);
    const byId = new Map(transfers.map((t) => [t.id, t]));
    expect(byId.get(day.toPost)).toMatchObject({ kind: 'pending', state: 'posted', amount: 3_000n, postedAmount: 2_000n, timeoutSeconds: 60 });
    expect(byId.get(day.toPost)?.resolvedAt).toBeInstanceOf(Date);
    expect(byId.get(postId)).toMatchObject({ kind: 'post_pending', state: 'posted', amount: 2_000n, pendingId: day.toPost });
    expect(byId.get(day.toVoid)).toMatchObject({ state: 'voided', postedAmount: null });
    expect(byId.get(voidId)).toMatchObject({ kind: 'void_pending', state: 'voided', amount: 1_000n, pendingId: day.toVoid });
    expect(byId.get(day.toExpire)).toMatchObject({ state: 'expired', postedAmount: null });
    expect(byId.get(day.toExpire)?.expiresAt).toBeInstanceOf(Date);
    expect(byId.get(day.topUp)).toMatchObject({
      kind: 'single', state: 'posted', batchId: day.topUp, amount: 10_000n, postedAmount: 10_000n,
      debitAccountId: day.external, creditAccountId: day.wallet, currency: 'EUR', stream: `ledger_transfer-${day.topUp}`,
    });
    expect(typeof byId.get(day.topUp)?.position).toBe('bigint');
  });

  it('keeps amounts beyond 2^53 and sums beyond 2^64 exact', async () => {
    const external = await ledger.open('external');
    const merchant = await ledger.open('merchant');
    const max = 2n ** 63n - 1n;
    await ledger.transfer([{ debitAccountId: external, creditAccountId: merchant, amount: max, kind: 'single' }]);
    await ledger.transfer([{ debitAccountId: external, creditAccountId: merchant, amount: max, kind: 'single' }]);
    await ledger.transfer([{ debitAccountId: external, creditAccountId: merchant, amount: 2n ** 53n + 1n, kind: 'single' }]);
    await projectAll();
    const expected = 2n * max + 2n ** 53n + 1n;
    expect((await balancesOf(db.dataSource))[merchant].creditsPosted).toBe(expected.toString());
    const row = await db.dataSource.getRepository(LedgerAccountEntity).findOneByOrFail({ id: external });
    expect(row.debitsPosted).toBe(expected);
  });

  it('applying the same events again changes nothing, whatever the checkpoint says', async () => {
    const day = await dayOfTrading();
    await ledger.post(day.toPost, 1_000n);
    await ledger.void(day.toVoid);
    await ledger.expire(day.toExpire, '2030-01-01T00:00:00.000Z');
    await projectAll();
    const before = await snapshot(db.dataSource);
    const events: RecordedEvent[] = (await store.readAll({ maxCount: 1000 })).events;
    for (const projection of [ledgerBalancesProjection, ledgerTransfersProjection]) {
      await readModelTransaction(db.dataSource, (tx) => projection.apply(events, tx));
      await readModelTransaction(db.dataSource, (tx) => projection.apply(events.slice(10, 20), tx));
    }
    expect(await snapshot(db.dataSource)).toEqual(before);
  });

  it('rebuilding from position 0 gives exactly the live read models', async () => {
    const day = await dayOfTrading();
    await projectAll();
    await ledger.post(day.toPost);
    await ledger.expire(day.toExpire, '2030-01-01T00:00:00.000Z');
    await projectAll();
    await runner?.stop();
    const live = await snapshot(db.dataSource);
    const head = await store.headPosition();
    for (const projection of ledgerProjections) {
      const result = await rebuildProjection(store, db.dataSource, projection, { pageSize: 5 });
      expect(result.position).toBe(head);
      expect(await readCheckpoint(db.dataSource, projection.name)).toBe(head);
    }
    expect(await snapshot(db.dataSource)).toEqual(live);

    // The same in one pass over $all, several small pages per transaction (rows remembered across pages).
    const together = await rebuildProjections(store, db.dataSource, ledgerProjections, { pageSize: 3, pagesPerTransaction: 4 });
    expect(together.position).toBe(head);
    expect(await snapshot(db.dataSource)).toEqual(live);
    expect(await queryIndexes(db.dataSource)).toEqual(LEDGER_TRANSFERS_QUERY_INDEXES.map((index) => index.name).sort());
  });

  it('refuses, loudly, events that touch an account or pending transfer it never saw', async () => {
    const orphan = (type: string, data: unknown): RecordedEvent => ({
      id: 'e', streamId: 'ledger_transfer-x', type, data, revision: 0n, position: 1n, recordedAt: '2025-01-01T00:00:00.000Z',
      prevHash: '', hash: 'h', metadata: { correlationId: 'c', causationId: 'c', actor: 'system:test', schemaVersion: 1 },
    });
    const leg = {
      id: '6f1c1f8e-0000-4000-8000-000000000001', debitAccountId: '6f1c1f8e-0000-4000-8000-00000000000a',
      creditAccountId: '6f1c1f8e-0000-4000-8000-00000000000b', amount: '5', currency: 'EUR', ledger: 1, code: 1,
      kind: 'single', timeoutSeconds: 0, timestamp: '2025-01-01T00:00:00.000Z',
    };
    const recorded = orphan('LedgerTransfersRecorded', { batchId: leg.id, fingerprint: 'f', transfers: [leg] });
    const voided = orphan('LedgerPendingVoided', {
      id: '6f1c1f8e-0000-4000-8000-000000000002', pendingId: leg.id, debitAccountId: leg.debitAccountId,
      creditAccountId: leg.creditAccountId, pendingAmount: '5', currency: 'EUR', ledger: 1, code: 1,
      timestamp: leg.timestamp, fingerprint: 'f',
    });
    const apply = (p: Projection, e: RecordedEvent) => readModelTransaction(db.dataSource, (tx) => p.apply([e], tx));
    await expect(apply(ledgerBalancesProjection, recorded)).rejects.toThrow(/unopened account/);
    await expect(apply(ledgerTransfersProjection, voided)).rejects.toThrow(/unknown pending/);
    expect(await db.dataSource.getRepository(LedgerTransferEntity).count()).toBe(0);
  });
});
