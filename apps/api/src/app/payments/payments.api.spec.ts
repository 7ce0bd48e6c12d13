import { postIdFor } from '@smilepay/checkout/application';
import { biometricLookingPaths } from '@smilepay/checkout/infrastructure';
import type { CustomerSummaryView, PaymentDetailView, PaymentFeedItem, TerminalView, TimelineEntry } from '@smilepay/shared/contracts';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { PaymentFlow, type Customer } from './payment-flow.fixture';

describe.each(['sqlite', 'postgres'] as const)('payments read api (read models on %s)', (readModels) => {
  let api: TestApi;
  let flow: PaymentFlow;
  let analyst: string;
  let auditor: string;
  let alice: Customer;
  let captured: { checkoutId: string; transferId: string };
  let held: { checkoutId: string; transferId: string };
  let spoof: string;

  const get = async (path: string, token: string | null = analyst) => {
    const response = await fetch(api.base + path, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    return { status: response.status, body: await response.json() };
  };

  beforeAll(async () => {
    api = await startTestApi({ readModels });
    [analyst, auditor] = await Promise.all([api.login('analyst'), api.login('auditor')]);
    flow = await PaymentFlow.open(api);
    await flow.registerTerminal('ter_a');
    await flow.registerTerminal('ter_b');
    alice = await flow.enrolledCustomer('+8613800138000', 10_000n);
    captured = await flow.pay('ter_a', alice, 1_250n);
    held = await flow.pay('ter_b', alice, 300n, 'hold');
    spoof = await flow.spoof('ter_a');
    await api.settle();
  });
  afterAll(async () => {
    await api.close();
  });

  it('lists payments newest first, bounded, and refuses bad limits', async () => {
    const all = await get('/v1/payments?limit=500');
    expect(all.status).toBe(200);
    expect((all.body as PaymentFeedItem[]).map((p) => p.paymentId)).toEqual([spoof, held.checkoutId, captured.checkoutId]);
    expect(((await get('/v1/payments?limit=2')).body as PaymentFeedItem[]).map((p) => p.paymentId)).toEqual([spoof, held.checkoutId]);
    expect((await get('/v1/payments')).body).toHaveLength(3);
    for (const bad of ['limit=501', 'limit=0', 'limit=abc', 'page=2']) {
      expect(await get(`/v1/payments?${bad}`)).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
    }
  });

  it('answers one payment with its decision facts, and 404 or 400 for what it cannot be', async () => {
    const { status, body } = await get(`/v1/payments/${captured.checkoutId}`);
    expect(status).toBe(200);
    const payment = body as PaymentDetailView;
    expect(payment).toMatchObject({
      paymentId: captured.checkoutId,
      merchantId: 'mer_coffee',
      terminalId: 'ter_a',
      customerId: alice.customerId,
      amountMinor: '1250',
      currency: 'EUR',
      status: 'captured',
      declineReason: null,
      livenessVerdict: 'live',
      livenessScore: 0.97,
      capturedMinor: '1250',
      refundedMinor: '0',
      transferId: captured.transferId,
      method: 'face',
    });
    expect(payment.matchScore).toBeGreaterThan(0.5);
    expect(payment.decisionLatencyMs).toBeGreaterThanOrEqual(0);
    expect((await get(`/v1/payments/${spoof}`)).body).toMatchObject({ status: 'declined', declineReason: 'spoof', livenessVerdict: 'spoof', customerId: null });
    expect(await get('/v1/payments/no-such-payment')).toMatchObject({ status: 404, body: { code: 'payment_not_found' } });
    expect(await get('/v1/payments/bad%20id')).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
  });

  it("tells a payment's story from its checkout stream and its ledger transfers, without biometric data", async () => {
    const { status, body } = await get(`/v1/payments/${captured.checkoutId}/timeline`);
    expect(status).toBe(200);
    const entries = body as TimelineEntry[];
    expect(entries.map((e) => e.type)).toEqual([
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
    ]);
    const positions = entries.map((e) => BigInt(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(entries.map((e) => e.streamId)).toEqual(
      expect.arrayContaining([`ledger_transferid-${captured.transferId}`, `ledger_transferid-${postIdFor(captured.transferId)}`, `ledger_account-${alice.walletAccountId}`]),
    );
    expect(entries.every((e) => e.actor === 'terminal:test')).toBe(true);
    expect(entries.flatMap((e) => biometricLookingPaths(e.data))).toEqual([]);
    expect(JSON.stringify(entries)).not.toContain('13800138000');
    // The other payment from the same wallet shares its stream but not this timeline.
    expect(JSON.stringify(entries)).not.toContain(held.transferId);
    expect(await get('/v1/payments/no-such-payment/timeline')).toMatchObject({ status: 404, body: { code: 'payment_not_found' } });
  });

  it('computes the KPIs over the last minute and hour', async () => {
    const { status, body } = await get('/v1/kpis');
    expect(status).toBe(200);
    expect(body).toMatchObject({ paymentsPerMinute: 3, approvalRate: 2 / 3, spoofsBlocked: 1 });
    expect(body.decisionLatencyMsP95).toEqual(expect.any(Number));
    expect(Date.parse(body.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("lists terminals with today's payments and blocked spoofs", async () => {
    const { status, body } = await get('/v1/terminals');
    expect(status).toBe(200);
    const byId = new Map((body as TerminalView[]).map((t) => [t.terminalId, t]));
    expect(byId.get('ter_a')).toMatchObject({ merchantId: 'mer_coffee', status: 'active', paymentsToday: 2, spoofsBlockedToday: 1, paymentsTotal: 2 });
    expect(byId.get('ter_b')).toMatchObject({ paymentsToday: 1, spoofsBlockedToday: 0, quarantineReason: null });
    expect(await get('/v1/terminals?limit=1001')).toMatchObject({ status: 400 });
  });

  it('finds customers by id prefix or phone digits, masked, and shows their wallet balance', async () => {
    const byPhone = await get('/v1/customers?q=8000');
    expect(byPhone.status).toBe(200);
    expect(byPhone.body as CustomerSummaryView[]).toEqual([
      { customerId: alice.customerId, phoneMasked: '+86•••••8000', status: 'active', walletAccountId: alice.walletAccountId, currency: 'EUR', enrolledAt: expect.any(String), faceEnrolled: true, faceLockedUntil: null },
    ]);
    expect(((await get(`/v1/customers?q=${alice.customerId.slice(0, 10)}`)).body as CustomerSummaryView[]).map((c) => c.customerId)).toEqual([alice.customerId]);
    expect(JSON.stringify(byPhone.body)).not.toContain('13800138000');
    for (const bad of ['', `?q=${'x'.repeat(101)}`, '?q=a&limit=51']) {
      expect(await get(`/v1/customers${bad}`)).toMatchObject({ status: 400 });
    }
    const balance = await get(`/v1/customers/${alice.customerId}/balance`);
    expect(balance).toMatchObject({
      status: 200,
      body: { accountId: alice.walletAccountId, kind: 'customer_wallet', currency: 'EUR', creditsPostedMinor: '10000', debitsPostedMinor: '1250', debitsPendingMinor: '300', availableMinor: '8450' },
    });
    expect(await get('/v1/customers/cus_nobody/balance')).toMatchObject({ status: 404, body: { code: 'customer_not_found' } });
  });

  it('lets every reader role in and nobody without a token', async () => {
    const routes = ['/v1/payments', `/v1/payments/${captured.checkoutId}`, `/v1/payments/${captured.checkoutId}/timeline`, '/v1/kpis', '/v1/terminals', '/v1/customers?q=cus', `/v1/customers/${alice.customerId}/balance`];
    for (const route of routes) {
      expect(await get(route, null)).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
      expect(await get(route, 'not-a-token')).toMatchObject({ status: 401 });
      expect((await get(route, auditor)).status).toBe(200);
    }
  });
});
