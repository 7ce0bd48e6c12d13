import {
  openTestReadModelDatabase,
  projectionEntities,
  projectionMigrations,
  readModelTransaction,
  type TestReadModelDatabase,
} from '@smilepay/shared/projections';
import { riskReadModelEntities, riskReadModelMigrations } from '../read-model/risk-read-model';
import { RiskWindows } from './risk-windows';

describe.each(['sqlite', 'postgres'] as const)('the risk detector memory on %s', (dialect) => {
  let db: TestReadModelDatabase;
  const inTx = <T>(work: (windows: RiskWindows) => Promise<T>) =>
    readModelTransaction(db.dataSource, (tx) => work(new RiskWindows(tx)));

  beforeAll(async () => {
    db = await openTestReadModelDatabase(dialect, {
      entities: [...projectionEntities, ...riskReadModelEntities],
      migrations: [...projectionMigrations, ...riskReadModelMigrations],
    });
  });
  afterAll(() => db.dispose());

  it('counts a subject’s activity in a half-open window, once per event', async () => {
    await inTx(async (w) => {
      for (const [id, atMs] of [
        ['e1', 1_000],
        ['e2', 2_000],
        ['e3', 3_000],
        ['e3', 3_000],
      ] as const) {
        await w.record({ eventId: id, kind: 'terminal_spoof', subjectId: 'ter_1', atMs });
      }
      await w.record({ eventId: 'e4', kind: 'terminal_spoof', subjectId: 'ter_2', atMs: 2_500 });
    });
    expect(await inTx((w) => w.count('terminal_spoof', 'ter_1', 1_000, 3_000))).toBe(2);
    expect(await inTx((w) => w.count('terminal_spoof', 'ter_1', 999, 3_000))).toBe(3);
    expect(await inTx((w) => w.count('customer_payment', 'ter_1', 0, 10_000))).toBe(0);
  });

  it('sums amounts exactly as bigint, per currency, leaving one event out', async () => {
    const huge = 9_000_000_000_000_000_000n;
    await inTx(async (w) => {
      await w.record({
        eventId: 'p1',
        kind: 'customer_payment',
        subjectId: 'cus_1',
        amountMinor: huge,
        currency: 'EUR',
        atMs: 10_000,
      });
      await w.record({
        eventId: 'p2',
        kind: 'customer_payment',
        subjectId: 'cus_1',
        amountMinor: 7n,
        currency: 'EUR',
        atMs: 11_000,
      });
      await w.record({
        eventId: 'p3',
        kind: 'customer_payment',
        subjectId: 'cus_1',
        amountMinor: 5n,
        currency: 'USD',
        atMs: 11_000,
      });
    });
    expect(await inTx((w) => w.sum('customer_payment', 'cus_1', 'EUR', 10_000, 11_000, 'none'))).toBe(huge + 7n);
    expect(await inTx((w) => w.sum('customer_payment', 'cus_1', 'EUR', 10_000, 11_000, 'p2'))).toBe(huge);
    expect(await inTx((w) => w.sum('customer_payment', 'cus_1', 'EUR', 10_001, 11_000, 'none'))).toBe(7n);
  });

  it('remembers checkouts and first visits, and forgets what every window has passed', async () => {
    await inTx((w) => w.rememberCheckout('chk_1', 'ter_1', 1_000));
    expect(await inTx((w) => w.terminalOf('chk_1'))).toBe('ter_1');
    expect(await inTx((w) => w.terminalOf('chk_2'))).toBeNull();
    expect(await inTx((w) => w.firstVisit('cus_1', 'ter_1', 1_000))).toBe(true);
    expect(await inTx((w) => w.firstVisit('cus_1', 'ter_1', 2_000))).toBe(false);
    await inTx((w) => w.prune(2_500));
    expect(await inTx((w) => w.terminalOf('chk_1'))).toBeNull();
    expect(await inTx((w) => w.count('terminal_spoof', 'ter_1', 0, 10_000))).toBe(1);
    expect(await inTx((w) => w.firstVisit('cus_1', 'ter_1', 3_000))).toBe(false);
  });
});
