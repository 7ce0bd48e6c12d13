import {
  riskReadModelEntities,
  riskReadModelMigrations,
  RiskWindows,
  type Activity,
} from '@smilepay/risk/infrastructure';
import {
  openTestReadModelDatabase,
  projectionEntities,
  projectionMigrations,
  readModelTransaction,
  type TestReadModelDatabase,
} from '@smilepay/shared/projections';
import { BatchWindows, type SlidingNeed, type WindowNeeds } from './batch-windows';

const none: SlidingNeed = { subjectIds: [], earliestMs: Infinity, latestMs: -Infinity, windowMs: 0 };
const needs = (partial: Partial<WindowNeeds>): WindowNeeds => ({
  customerPayments: { subjectIds: [], sinceMs: Infinity },
  terminalPayments: none,
  terminalSpoofs: none,
  visits: [],
  ...partial,
});
const spoof = (eventId: string, atMs: number): Activity => ({
  eventId,
  kind: 'terminal_spoof',
  subjectId: 'ter_1',
  atMs,
});
const pay = (eventId: string, amountMinor: bigint, currency: string, atMs: number): Activity => ({
  eventId,
  kind: 'customer_payment',
  subjectId: 'cus_1',
  amountMinor,
  currency,
  atMs,
});

describe.each(['sqlite', 'postgres'] as const)('a batch’s view of the risk windows on %s', (dialect) => {
  let db: TestReadModelDatabase;
  const inTx = <T>(work: (windows: RiskWindows) => Promise<T>) =>
    readModelTransaction(db.dataSource, (tx) => work(new RiskWindows(tx)));
  const load = (wanted: Partial<WindowNeeds>) => inTx((w) => BatchWindows.load(w, needs(wanted)));

  beforeAll(async () => {
    db = await openTestReadModelDatabase(dialect, {
      entities: [...projectionEntities, ...riskReadModelEntities],
      migrations: [...projectionMigrations, ...riskReadModelMigrations],
    });
    await inTx(async (w) => {
      await w.record([spoof('s1', 1_000), spoof('s2', 2_000), spoof('s3', 3_000), spoof('s4', 4_000)]);
      const huge = 9_000_000_000_000_000_000n;
      await w.record([pay('p1', huge, 'EUR', 10_000), pay('p2', 7n, 'EUR', 11_000), pay('p3', 5n, 'USD', 11_000)]);
      await w.rememberVisits([{ customerId: 'cus_1', terminalId: 'ter_1', atMs: 1_000 }]);
    });
  });
  afterAll(() => db.dispose());

  it('counts stored and added rows in a half-open window (from, to], each event once', async () => {
    // Windows of 2 s ending between 3 s and 4 s: the stored rows are counted, not loaded, except at the edges.
    const memory = await load({
      terminalSpoofs: { subjectIds: ['ter_1'], earliestMs: 3_000, latestMs: 4_000, windowMs: 2_000 },
    });
    expect(memory.count('terminal_spoof', 'ter_1', 1_000, 3_000)).toBe(2);
    expect(memory.count('terminal_spoof', 'ter_1', 2_000, 4_000)).toBe(2);
    expect(memory.count('terminal_spoof', 'ter_1', 1_500, 3_500)).toBe(2);
    expect(memory.count('terminal_spoof', 'ter_2', 1_000, 3_000)).toBe(0);
    memory.record(spoof('s3', 3_000));
    memory.record(spoof('s5', 3_500));
    memory.record(spoof('s5', 3_500));
    expect(memory.count('terminal_spoof', 'ter_1', 2_000, 4_000)).toBe(3);
    expect(memory.count('terminal_spoof', 'ter_1', 1_000, 3_000)).toBe(2);
    expect(memory.count('terminal_spoof', 'ter_1', 1_500, 3_500)).toBe(3);
    expect(memory.writes().activity).toEqual([spoof('s5', 3_500)]);
    // A window the batch did not ask for cannot be answered from what was read.
    expect(() => memory.count('terminal_spoof', 'ter_1', 500, 3_000)).toThrow(/cannot count/);
  });

  it('sums a customer’s amounts per currency in [from, to] as bigint, one event left out', async () => {
    const huge = 9_000_000_000_000_000_000n;
    const memory = await load({ customerPayments: { subjectIds: ['cus_1'], sinceMs: 10_000 } });
    expect(memory.customerSum('cus_1', 'EUR', 10_000, 11_000, 'none')).toBe(huge + 7n);
    expect(memory.customerSum('cus_1', 'EUR', 10_000, 11_000, 'p2')).toBe(huge);
    expect(memory.customerSum('cus_1', 'EUR', 10_001, 11_000, 'none')).toBe(7n);
    memory.record(pay('p4', 1n, 'EUR', 12_000));
    expect(memory.customerSum('cus_1', 'EUR', 10_001, 12_000, 'none')).toBe(8n);
    expect(memory.customerSum('cus_1', 'EUR', 10_001, 12_000, 'p4')).toBe(7n);
    expect(memory.customerSum('cus_1', 'EUR', 10_001, 11_999, 'none')).toBe(7n);
    expect(memory.count('customer_payment', 'cus_1', 10_000, 12_000)).toBe(3);
    expect(memory.count('customer_payment', 'cus_1', 9_999, 11_999)).toBe(3);
    expect(() => memory.customerSum('cus_1', 'EUR', 9_999, 12_000, 'none')).toThrow(/cannot sum/);
  });

  it('knows a first visit once: stored pairs and pairs seen earlier in the batch are not first', async () => {
    const visits = [
      { customerId: 'cus_1', terminalId: 'ter_1' },
      { customerId: 'cus_1', terminalId: 'ter_2' },
    ];
    const memory = await load({ visits });
    expect(memory.firstVisit('cus_1', 'ter_1', 5_000)).toBe(false);
    expect(memory.firstVisit('cus_1', 'ter_2', 5_000)).toBe(true);
    expect(memory.firstVisit('cus_1', 'ter_2', 6_000)).toBe(false);
    expect(memory.writes().visits).toEqual([{ customerId: 'cus_1', terminalId: 'ter_2', atMs: 5_000 }]);
  });
});
