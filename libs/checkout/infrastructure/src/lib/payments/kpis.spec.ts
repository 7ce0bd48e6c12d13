import { openReadModelHarness, type ReadModelHarness } from '../testing/read-model-harness.fixture';
import { computeKpis } from './kpis';

const T0 = new Date('2025-06-01T12:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

describe.each(['sqlite', 'postgres'] as const)('KPIs over the payments table on %s', (dialect) => {
  let h: ReadModelHarness;

  beforeAll(async () => {
    h = await openReadModelHarness(dialect);
    const s = h.scenario;
    await s.openMerchant(at(-7200));
    await s.registerTerminal('ter_a', at(-7200));
    const wallet = await s.enrolledCustomer('cus_alice', '+8613800138000', 100_000n, at(-7200));
    // Older than the hour: never counted.
    await s.spoof('ter_a', at(-5000), { decidedAfterSeconds: 100 });
    // Twenty spoofs decided 1 s to 20 s after they started, then three paid payments (4 s each).
    for (let i = 1; i <= 20; i++) await s.spoof('ter_a', at(i * 30), { decidedAfterSeconds: i });
    for (let i = 0; i < 3; i++) await s.pay('ter_a', 'cus_alice', wallet, 100n, at(700 + i * 10));
    await h.project();
  });
  afterAll(() => h.dispose());

  it('counts the last minute, the approval rate and spoofs of the last hour, and the p95 latency', async () => {
    const kpis = await computeKpis(h.db.dataSource, at(740));
    expect(kpis).toEqual({
      at: at(740).toISOString(),
      // Started in (680, 740]: the three payments.
      paymentsPerMinute: 3,
      approvalRate: 3 / 23,
      spoofsBlocked: 20,
      // Nearest rank over 23 latencies (1..20 s and three of 4 s): the 22nd smallest is 19 s.
      decisionLatencyMsP95: 19_000,
    });
  });

  it('has no approval rate and no latency when nothing was decided in the window', async () => {
    const quiet = await computeKpis(h.db.dataSource, at(10 * 3600));
    expect(quiet).toEqual({ at: at(10 * 3600).toISOString(), paymentsPerMinute: 0, approvalRate: null, spoofsBlocked: 0, decisionLatencyMsP95: null });
  });

  it('does not count decisions after the moment asked about', async () => {
    const early = await computeKpis(h.db.dataSource, at(35));
    expect(early).toMatchObject({ paymentsPerMinute: 1, approvalRate: 0, spoofsBlocked: 1, decisionLatencyMsP95: 1_000 });
  });
});
