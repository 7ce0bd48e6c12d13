import {
  openTestReadModelDatabase,
  projectionEntities,
  projectionMigrations,
  readModelTransaction,
  type TestReadModelDatabase,
} from '@smilepay/shared/projections';
import { riskReadModelEntities, riskReadModelMigrations } from '../read-model/risk-read-model';
import { RiskWindows, visitKey, type Activity } from './risk-windows';

describe.each(['sqlite', 'postgres'] as const)('the risk detector memory on %s', (dialect) => {
  let db: TestReadModelDatabase;
  const inTx = <T>(work: (windows: RiskWindows) => Promise<T>) =>
    readModelTransaction(db.dataSource, (tx) => work(new RiskWindows(tx)));
  const ids = (rows: Activity[]) => rows.map((r) => r.eventId).sort();

  beforeAll(async () => {
    db = await openTestReadModelDatabase(dialect, {
      entities: [...projectionEntities, ...riskReadModelEntities],
      migrations: [...projectionMigrations, ...riskReadModelMigrations],
    });
  });
  afterAll(() => db.dispose());

  it('records each event once per kind, within one statement and across batches', async () => {
    const spoof = (eventId: string, subjectId: string, atMs: number): Activity => ({
      eventId,
      kind: 'terminal_spoof',
      subjectId,
      atMs,
    });
    await inTx((w) =>
      w.record([spoof('e1', 'ter_1', 1_000), spoof('e2', 'ter_1', 2_000), spoof('e3', 'ter_1', 3_000)]),
    );
    await inTx((w) =>
      w.record([spoof('e3', 'ter_1', 3_000), spoof('e3', 'ter_1', 3_000), spoof('e4', 'ter_2', 2_500)]),
    );
    expect(await inTx((w) => w.countsAfter('terminal_spoof', ['ter_1', 'ter_2', 'ter_3'], 0))).toEqual(
      new Map([
        ['ter_1', 3],
        ['ter_2', 1],
      ]),
    );
    expect(await inTx((w) => w.countsAfter('customer_payment', ['ter_1'], 0))).toEqual(new Map());
  });

  it('reads windows with the bounds it is given: counts strictly after, edges half-open, since inclusive', async () => {
    expect(await inTx((w) => w.countsAfter('terminal_spoof', ['ter_1'], 1_000))).toEqual(new Map([['ter_1', 2]]));
    expect(await inTx((w) => w.countsAfter('terminal_spoof', ['ter_1'], 999))).toEqual(new Map([['ter_1', 3]]));
    const edges = (afterMs: number, untilMs: number, fromMs: number) =>
      inTx((w) => w.activityAtEdges('terminal_spoof', ['ter_1'], { afterMs, untilMs, fromMs })).then(ids);
    expect(await edges(999, 1_000, 3_000)).toEqual(['e1', 'e3']);
    expect(await edges(1_000, 1_999, 3_001)).toEqual([]);
    expect(await edges(0, 2_000, 2_000)).toEqual(['e1', 'e2', 'e3']);
    expect(await inTx((w) => w.activitySince('terminal_spoof', ['ter_1', 'ter_2'], 2_000)).then(ids)).toEqual([
      'e2',
      'e3',
      'e4',
    ]);
  });

  it('keeps amounts exact as bigint, with their currency', async () => {
    const huge = 9_000_000_000_000_000_000n;
    const pay = (eventId: string, amountMinor: bigint, currency: string, atMs: number): Activity => ({
      eventId,
      kind: 'customer_payment',
      subjectId: 'cus_1',
      amountMinor,
      currency,
      atMs,
    });
    await inTx((w) =>
      w.record([pay('p1', huge, 'EUR', 10_000), pay('p2', 7n, 'EUR', 11_000), pay('p3', 5n, 'USD', 11_000)]),
    );
    const rows = await inTx((w) => w.activitySince('customer_payment', ['cus_1'], 10_000));
    expect(rows.sort((a, b) => a.eventId.localeCompare(b.eventId))).toEqual([
      pay('p1', huge, 'EUR', 10_000),
      pay('p2', 7n, 'EUR', 11_000),
      pay('p3', 5n, 'USD', 11_000),
    ]);
  });

  it('remembers checkouts and first visits, and forgets what every window has passed', async () => {
    await inTx((w) =>
      w.rememberCheckouts([
        { checkoutId: 'chk_1', terminalId: 'ter_1', atMs: 1_000 },
        { checkoutId: 'chk_3', terminalId: 'ter_3', atMs: 3_000 },
      ]),
    );
    await inTx((w) => w.rememberCheckouts([{ checkoutId: 'chk_1', terminalId: 'ter_other', atMs: 1_000 }]));
    expect(await inTx((w) => w.terminalsOf(['chk_1', 'chk_2', 'chk_3']))).toEqual(
      new Map([
        ['chk_1', 'ter_1'],
        ['chk_3', 'ter_3'],
      ]),
    );
    await inTx((w) => w.rememberVisits([{ customerId: 'cus_1', terminalId: 'ter_1', atMs: 1_000 }]));
    await inTx((w) =>
      w.rememberVisits([
        { customerId: 'cus_1', terminalId: 'ter_1', atMs: 2_000 },
        { customerId: 'cus_2', terminalId: 'ter_2', atMs: 2_000 },
      ]),
    );
    const asked = [
      { customerId: 'cus_1', terminalId: 'ter_1' },
      { customerId: 'cus_1', terminalId: 'ter_2' },
      { customerId: 'cus_2', terminalId: 'ter_2' },
    ];
    const known = new Set([visitKey('cus_1', 'ter_1'), visitKey('cus_2', 'ter_2')]);
    expect(await inTx((w) => w.visitsKnown(asked))).toEqual(known);
    const firstAt = await db.dataSource.query(
      `SELECT "first_at_ms" FROM "risk_customer_terminals" WHERE "customer_id" = 'cus_1'`,
    );
    expect(firstAt.map((r: { first_at_ms: unknown }) => Number(r.first_at_ms))).toEqual([1_000]);
    await inTx((w) => w.prune(2_500));
    expect(await inTx((w) => w.terminalsOf(['chk_1', 'chk_3']))).toEqual(new Map([['chk_3', 'ter_3']]));
    expect(await inTx((w) => w.countsAfter('terminal_spoof', ['ter_1'], 0))).toEqual(new Map([['ter_1', 1]]));
    expect(await inTx((w) => w.visitsKnown(asked))).toEqual(known);
  });

  it('splits large batches under the databases’ parameter limits', async () => {
    const many = Array.from({ length: 2_500 }, (_, i) => ({
      checkoutId: `bulk_${i}`,
      terminalId: `ter_${i % 7}`,
      atMs: 5_000,
    }));
    await inTx((w) => w.rememberCheckouts(many));
    const found = await inTx((w) => w.terminalsOf(many.map((c) => c.checkoutId)));
    expect(found.size).toBe(2_500);
    expect(found.get('bulk_2498')).toBe('ter_6');
    const rows: Activity[] = many.map((c, i) => ({
      eventId: c.checkoutId,
      kind: 'terminal_payment',
      subjectId: `t_${i}`,
      atMs: 5_000,
    }));
    await inTx((w) => w.record(rows));
    const counts = await inTx((w) =>
      w.countsAfter(
        'terminal_payment',
        rows.map((r) => r.subjectId),
        4_999,
      ),
    );
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(2_500);
  });
});
