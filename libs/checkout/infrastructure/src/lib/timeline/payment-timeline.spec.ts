import { randomUUID } from 'node:crypto';
import { openReadModelHarness, type ReadModelHarness } from '../testing/read-model-harness.fixture';
import type { PaidCheckout } from '../testing/checkout-scenario.fixture';
import { biometricLookingPaths } from './biometric-guard';
import { PaymentTimeline } from './payment-timeline';

const T0 = new Date('2025-06-01T12:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

describe('biometricLookingPaths', () => {
  it('finds embeddings, typed-array shapes and base64 blobs, and nothing in ordinary payloads', () => {
    const embedding = Array.from({ length: 512 }, (_, i) => i / 512);
    expect(biometricLookingPaths({ probe: { embedding } })).toEqual(['$.probe.embedding']);
    expect(biometricLookingPaths({ v: Object.fromEntries(embedding.slice(0, 20).map((x, i) => [String(i), x])) })).toEqual(['$.v']);
    expect(biometricLookingPaths({ frame: 'QUJD'.repeat(200) })).toEqual(['$.frame']);
    expect(biometricLookingPaths({ checkoutId: 'c', score: 0.97, candidateCustomerIds: ['a', 'b'], factors: ['face'] })).toEqual([]);
  });
});

describe.each(['sqlite', 'postgres'] as const)('payment timeline on %s', (dialect) => {
  let h: ReadModelHarness;
  let timeline: PaymentTimeline;
  let captured: PaidCheckout;
  let voided: PaidCheckout;
  let other: PaidCheckout;
  let refundTransferId: string;
  const warnings: string[] = [];

  beforeAll(async () => {
    h = await openReadModelHarness(dialect);
    const s = h.scenario;
    await s.openMerchant(at(-3600));
    await s.registerTerminal('ter_a', at(-3600));
    const wallet = await s.enrolledCustomer('cus_alice', '+8613800138000', 100_000n, at(-3600));
    captured = await s.pay('ter_a', 'cus_alice', wallet, 1_250n, at(0));
    // Two more payments from the same wallet: their events share its stream and must not leak into the first's timeline.
    voided = await s.pay('ter_a', 'cus_alice', wallet, 700n, at(60), 'void');
    other = await s.pay('ter_a', 'cus_alice', wallet, 300n, at(120));
    refundTransferId = await s.refund(captured.checkoutId, wallet, 500n, at(200));
    await h.project();
    timeline = new PaymentTimeline(h.store, h.db.dataSource, { warn: (m) => void warnings.push(m) });
  });
  afterAll(() => h.dispose());

  it('interleaves the checkout stream with the ledger events of its hold, capture and refund, in store order', async () => {
    const entries = await timeline.of(captured.checkoutId);
    expect(entries?.map((e) => e.type)).toEqual([
      'CheckoutStarted',
      'LivenessVerdictRecorded',
      'PhoneFactorRequested',
      'PhoneFactorProvided',
      'FaceMatchRecorded',
      'FaceCredentialIssued',
      'TransferIdClaimed',
      'LedgerTransfersRecorded',
      'PaymentAuthorized',
      'TransferIdClaimed',
      'LedgerPendingPosted',
      'PaymentCaptured',
      'RefundRequested',
      'TransferIdClaimed',
      'LedgerTransfersRecorded',
      'LedgerCreditApplied',
      'PaymentRefunded',
    ]);
    const positions = (entries ?? []).map((e) => BigInt(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(positions).size).toBe(positions.length);
    const streams = new Set(entries?.map((e) => e.streamId));
    expect(streams).toEqual(
      new Set([
        `checkout-${captured.checkoutId}`,
        `ledger_transferid-${captured.transferId}`,
        `ledger_transferid-${captured.resolutionId}`,
        `ledger_transferid-${refundTransferId}`,
        `ledger_transfer-${refundTransferId}`,
        expect.stringMatching(/^ledger_account-/),
      ]),
    );
    expect(entries?.[0]).toMatchObject({ revision: '0', actor: 'terminal:test', recordedAt: expect.any(String) });
  });

  it('shows nothing of other payments from the same wallet, and nothing biometric', async () => {
    const entries = (await timeline.of(captured.checkoutId)) ?? [];
    const text = JSON.stringify(entries.map((e) => e.data));
    for (const foreign of [voided.transferId, voided.resolutionId, other.transferId, other.resolutionId, voided.checkoutId, other.checkoutId]) {
      expect(text).not.toContain(foreign);
    }
    expect(entries.flatMap((e) => biometricLookingPaths(e.data))).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('shows a voided payment with its void, and answers null for an unknown checkout', async () => {
    const types = (await timeline.of(voided.checkoutId))?.map((e) => e.type);
    expect(types?.slice(-3)).toEqual(['TransferIdClaimed', 'LedgerPendingVoided', 'PaymentVoided']);
    expect(await timeline.of(randomUUID())).toBeNull();
  });

  it('withholds the data of an event that looks biometric, should one ever reach a payment stream', async () => {
    const checkoutId = randomUUID();
    await h.scenario.start(checkoutId, 'ter_a', 100n, at(300));
    // Written past the decider on purpose: the guard is for data no decider would produce.
    const embedding = Array.from({ length: 128 }, (_, i) => i / 128);
    const metadata = { correlationId: 'c', causationId: 'c', actor: 'system:test', schemaVersion: 1 };
    const data = { checkoutId, verdict: 'live', score: 0.9, recordedAt: at(301).toISOString(), embedding };
    await h.store.append(`checkout-${checkoutId}`, [{ type: 'LivenessVerdictRecorded', data, metadata }], { expectedState: 0n });
    const entries = (await timeline.of(checkoutId)) ?? [];
    expect(entries.map((e) => e.type)).toEqual(['CheckoutStarted', 'LivenessVerdictRecorded']);
    expect(entries[1].data).toEqual({ withheld: expect.any(String) });
    expect(JSON.stringify(entries)).not.toContain('0.5078125');
    expect(warnings).toEqual([expect.stringContaining('withheld the data of LivenessVerdictRecorded')]);
    warnings.length = 0;
  });
});
