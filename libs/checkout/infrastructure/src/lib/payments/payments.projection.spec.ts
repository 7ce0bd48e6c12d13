import { randomUUID } from 'node:crypto';
import { readModelTransaction, rebuildProjection, readCheckpoint } from '@smilepay/shared/projections';
import type { DataSource } from 'typeorm';
import { checkoutProjections } from '../checkout-read-models';
import { CustomerSummaryEntity } from '../customers/customer-summary.entity';
import { openReadModelHarness, type ReadModelHarness } from '../testing/read-model-harness.fixture';
import type { PaidCheckout } from '../testing/checkout-scenario.fixture';
import { TerminalSummaryEntity } from '../terminals/terminal-summary.entity';
import { listTerminals } from '../terminals/terminal-queries';
import { TransferEventEntity } from '../timeline/transfer-event.entity';
import { PaymentEntity } from './payment.entity';
import { paymentById, recentPayments } from './payment-queries';
import { toPaymentDetailView, toPaymentFeedItem } from './payment-views';

const T0 = new Date('2025-06-01T12:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

async function snapshot(ds: DataSource) {
  return {
    payments: await ds.getRepository(PaymentEntity).find({ order: { checkoutId: 'ASC' } }),
    terminals: await ds.getRepository(TerminalSummaryEntity).find({ order: { terminalId: 'ASC' } }),
    customers: await ds.getRepository(CustomerSummaryEntity).find({ order: { customerId: 'ASC' } }),
    transferEvents: await ds.getRepository(TransferEventEntity).find({ order: { transferId: 'ASC', position: 'ASC' } }),
  };
}

describe.each(['sqlite', 'postgres'] as const)('payments and terminals read models on %s', (dialect) => {
  let h: ReadModelHarness;
  const ids = {} as { captured: PaidCheckout; voided: PaidCheckout; held: PaidCheckout; spoof: string; poor: string; cancelled: string };

  beforeAll(async () => {
    h = await openReadModelHarness(dialect);
    const s = h.scenario;
    await s.openMerchant(at(-3600));
    await s.registerTerminal('ter_a', at(-3600));
    await s.registerTerminal('ter_b', at(-3600));
    const alice = await s.enrolledCustomer('cus_alice', '+8613800138000', 100_000n, at(-3600));
    const bob = await s.enrolledCustomer('cus_bob', '+442071838750', 1_000n, at(-3600));
    ids.captured = await s.pay('ter_a', 'cus_alice', alice, 1_250n, at(0));
    ids.voided = await s.pay('ter_a', 'cus_alice', alice, 700n, at(60), 'void');
    ids.held = await s.pay('ter_b', 'cus_alice', alice, 300n, at(120), 'hold');
    ids.spoof = await s.spoof('ter_a', at(180));
    const poor = await s.identified('ter_b', 'cus_bob', 5_000n, at(240));
    await s.step(poor.checkoutId, { type: 'AuthorizePayment', credentialId: poor.credentialId, terminalId: 'ter_b', terminalSessionId: 'ses_ter_b', transferId: randomUUID(), walletAccountId: bob, customerRiskLocked: false, terminalQuarantined: false, reservation: 'insufficient_funds', at: at(244) });
    ids.poor = poor.checkoutId;
    ids.cancelled = randomUUID();
    await s.start(ids.cancelled, 'ter_b', 100n, at(300));
    await s.step(ids.cancelled, { type: 'CancelCheckout', reason: 'cancelled_by_terminal', at: at(310) });
    await s.refund(ids.captured.checkoutId, alice, 500n, at(400));
    await h.project();
  });
  afterAll(() => h.dispose());

  const row = (checkoutId: string) => paymentById(h.db.dataSource, checkoutId);

  it('records a captured and partly refunded payment with its scores, customer and decision latency', async () => {
    const payment = await row(ids.captured.checkoutId);
    if (payment === null) throw new Error('no row');
    expect(toPaymentDetailView(payment)).toEqual({
      paymentId: ids.captured.checkoutId,
      checkoutId: ids.captured.checkoutId,
      merchantId: 'mer_coffee',
      terminalId: 'ter_a',
      customerId: 'cus_alice',
      amountMinor: '1250',
      currency: 'EUR',
      status: 'refunded',
      declineReason: null,
      livenessVerdict: 'live',
      attackSpecies: null,
      livenessScore: 0.97,
      matchScore: 0.91,
      decisionLatencyMs: 4_000,
      updatedAt: expect.any(String),
      method: 'face',
      startedAt: at(0).toISOString(),
      decidedAt: at(4).toISOString(),
      capturedMinor: '1250',
      refundedMinor: '500',
      transferId: ids.captured.transferId,
      lastPosition: expect.stringMatching(/^[0-9]+$/),
    });
  });

  it('follows every ending: voided, still held, spoofed, declined for funds, cancelled', async () => {
    expect(await row(ids.voided.checkoutId)).toMatchObject({ status: 'voided', decision: 'authorized', capturedAmount: null });
    expect(await row(ids.held.checkoutId)).toMatchObject({ status: 'authorized', terminalId: 'ter_b', amount: 300n });
    expect(await row(ids.spoof)).toMatchObject({
      status: 'declined', declineReason: 'spoof', livenessVerdict: 'spoof', livenessScore: 0.04, customerId: null, decision: 'declined', decisionLatencyMs: 2_000,
    });
    expect(await row(ids.poor)).toMatchObject({ status: 'declined', declineReason: 'insufficient_funds', customerId: 'cus_bob', decisionLatencyMs: 4_000 });
    expect(await row(ids.cancelled)).toMatchObject({ status: 'cancelled', decision: null, decidedAt: null, decisionLatencyMs: null });
  });

  it('keeps a paid checkout paid when a replayed credential is declined afterwards', async () => {
    const before = await row(ids.held.checkoutId);
    const events = await h.scenario.step(ids.held.checkoutId, {
      type: 'AuthorizePayment', credentialId: 'cred_replayed', terminalId: 'ter_b', terminalSessionId: 'ses_ter_b', transferId: randomUUID(), walletAccountId: randomUUID(), customerRiskLocked: false, terminalQuarantined: false, reservation: 'not_attempted', at: at(130),
    });
    expect(events).toMatchObject([{ type: 'PaymentDeclined', data: { reason: 'credential_reused' } }]);
    await h.project();
    const after = await row(ids.held.checkoutId);
    expect(after).toMatchObject({ status: 'authorized', declineReason: null, decision: 'authorized', decidedAt: before?.decidedAt });
    expect(after?.lastPosition).toBeGreaterThan(before?.lastPosition ?? 0n);
  });

  it('lists the newest payments first, bounded', async () => {
    const all = await recentPayments(h.db.dataSource, 500);
    expect(all.map((p) => p.checkoutId)).toEqual([ids.cancelled, ids.poor, ids.spoof, ids.held.checkoutId, ids.voided.checkoutId, ids.captured.checkoutId]);
    expect(await recentPayments(h.db.dataSource, 2)).toHaveLength(2);
    expect(await recentPayments(h.db.dataSource, 10_000)).toHaveLength(6);
    expect(toPaymentFeedItem(all[0])).toMatchObject({ method: 'face', status: all[0].status });
  });

  it('counts payments and blocked spoofs per terminal, today and in total', async () => {
    const sameDay = await listTerminals(h.db.dataSource, at(600));
    expect(sameDay).toEqual([
      expect.objectContaining({ terminalId: 'ter_a', merchantId: 'mer_coffee', status: 'active', paymentsToday: 3, spoofsBlockedToday: 1, paymentsTotal: 3, spoofsBlockedTotal: 1, lastPaymentAt: at(180).toISOString(), registeredAt: at(-3600).toISOString() }),
      expect.objectContaining({ terminalId: 'ter_b', paymentsToday: 3, spoofsBlockedToday: 0, paymentsTotal: 3, lastPaymentAt: at(300).toISOString() }),
    ]);
    const nextDay = await listTerminals(h.db.dataSource, at(24 * 3600));
    expect(nextDay[0]).toMatchObject({ paymentsToday: 0, spoofsBlockedToday: 0, paymentsTotal: 3 });
  });

  it('shows a terminal under a face attack as quarantined until its cooldown ends', async () => {
    await h.scenario.registerTerminal('ter_c', at(-3600));
    await h.scenario.attackTerminal('ter_c', at(500));
    await h.project();
    const during = (await listTerminals(h.db.dataSource, at(600))).find((t) => t.terminalId === 'ter_c');
    expect(during).toMatchObject({ status: 'quarantined', quarantinedAt: at(509).toISOString(), quarantinedUntil: at(509 + 300).toISOString() });
    expect(during?.quarantineReason).toContain('10 failed face attempts');
    expect(during?.lastSeenAt).not.toBeNull();
    const after = (await listTerminals(h.db.dataSource, at(900))).find((t) => t.terminalId === 'ter_c');
    expect(after).toMatchObject({ status: 'active', quarantineReason: null, quarantinedAt: null });
  });

  it('applying the same events again, whole or in part, changes nothing', async () => {
    const before = await snapshot(h.db.dataSource);
    const events = (await h.store.readAll({ maxCount: 10_000 })).events;
    for (const projection of checkoutProjections) {
      await readModelTransaction(h.db.dataSource, (tx) => projection.apply(events, tx));
      await readModelTransaction(h.db.dataSource, (tx) => projection.apply(events.slice(20, 45), tx));
    }
    expect(await snapshot(h.db.dataSource)).toEqual(before);
  });

  it('rebuilding from position 0 gives exactly the live read models', async () => {
    const live = await snapshot(h.db.dataSource);
    const head = await h.store.headPosition();
    // The runner is idle at the head, so the rebuild replays exactly what it had applied.
    for (const projection of checkoutProjections) {
      const result = await rebuildProjection(h.store, h.db.dataSource, projection, { pageSize: 9 });
      expect(result.position).toBe(head);
      expect(await readCheckpoint(h.db.dataSource, projection.name)).toBe(head);
    }
    expect(await snapshot(h.db.dataSource)).toEqual(live);
  });

  it('refuses, loudly, a checkout event for a checkout that never started', async () => {
    const orphan = {
      id: 'e', streamId: 'checkout-ghost', type: 'PaymentVoided', revision: 3n, position: 10_000_000n, recordedAt: at(0).toISOString(), prevHash: '', hash: 'h',
      data: { checkoutId: 'ghost', transferId: randomUUID(), reason: 'cancelled', voidedAt: at(0).toISOString() },
      metadata: { correlationId: 'c', causationId: 'c', actor: 'system:test', schemaVersion: 1 },
    };
    const [payments] = checkoutProjections;
    await expect(readModelTransaction(h.db.dataSource, (tx) => payments.apply([orphan], tx))).rejects.toThrow(/never started/);
    expect(await row('ghost')).toBeNull();
  });
});
