import { randomUUID } from 'node:crypto';
import { lossReserveAccountId } from '@smilepay/claims/application';
import { LIVE_NAMESPACE, type ClaimEvidencePack, type ClaimView } from '@smilepay/shared/contracts';
import { io, type Socket } from 'socket.io-client';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { ApiDriver, type ApiCustomer } from './testing/api-driver';

describe.each(['sqlite', 'postgres'] as const)('loss claims over HTTP (read models on %s)', (readModels) => {
  let api: TestApi;
  let driver: ApiDriver;
  let analyst: string;
  let auditor: string;
  let alice: ApiCustomer;
  let bob: ApiCustomer;
  let payments: string[];
  let claim: ClaimView;
  const sockets: Socket[] = [];

  const available = async (accountId: string) => {
    await driver.settle();
    const view = await driver.call(auditor, 'GET', `/v1/ledger/accounts/${accountId}`);
    expect(view.status).toBe(200);
    return BigInt(view.body.availableMinor);
  };
  const fileFor = (customer: ApiCustomer, paymentIds: string[], claimedMinor: string, key = randomUUID(), token = analyst) =>
    driver.call(token, 'POST', '/v1/claims', { customerId: customer.id, paymentIds, claimedMinor, currency: 'EUR', reason: 'I was not there' }, key);

  beforeAll(async () => {
    api = await startTestApi({ readModels });
    driver = await ApiDriver.open(api);
    analyst = await api.login('analyst');
    auditor = await api.login('auditor');
    await driver.registerTerminal('till-1');
    alice = await driver.enrolledCustomer('+8613800000001', 0.11);
    bob = await driver.enrolledCustomer('+8613800000002', 0.77);
    const reserve = await driver.call(driver.admin, 'POST', '/v1/loss-reserves', { currency: 'EUR', minimumMinor: '1000000' }, randomUUID());
    expect(reserve).toMatchObject({ status: 200, body: { accountId: lossReserveAccountId('EUR'), opened: true, toppedUpMinor: '1000000' } });
    payments = [];
    for (const [amount, seed] of [['1200', 0.2], ['800', 0.3]] as const) {
      const paid = await driver.pay('till-1', alice, amount, seed);
      expect(paid.decision).toBe('authorized');
      payments.push(paid.paymentId);
    }
    await driver.settle();
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await api.close();
  });

  it('files a claim once per Idempotency-Key and refuses the key for another request', async () => {
    const key = randomUUID();
    const filed = await fileFor(alice, payments, '2000', key);
    expect(filed).toMatchObject({ status: 200, body: { customerId: alice.id, paymentIds: payments, claimedMinor: '2000', status: 'filed', assignee: null } });
    claim = filed.body;
    expect(await fileFor(alice, payments, '2000', key)).toEqual(filed);
    expect(await fileFor(alice, payments, '1999', key)).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
    const listed = await driver.call(auditor, 'GET', '/v1/claims');
    expect(listed.body.filter((c: ClaimView) => c.customerId === alice.id)).toEqual([expect.objectContaining({ claimId: claim.claimId })]);
  });

  it('refuses a claim without an Idempotency-Key, from an auditor, or above what the payments moved', async () => {
    const head = await api.store.headPosition();
    expect(await driver.call(analyst, 'POST', '/v1/claims', { customerId: bob.id, paymentIds: [randomUUID()], claimedMinor: '1', currency: 'EUR', reason: 'r' })).toMatchObject({
      status: 400,
      body: { code: 'idempotency_key_required' },
    });
    expect(await fileFor(alice, payments, '2000', randomUUID(), auditor)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await fileFor(alice, [payments[0]], '1')).toMatchObject({ status: 409, body: { code: 'payment_already_claimed' } });
    expect(await fileFor(bob, [payments[0]], '1')).toMatchObject({ status: 400, body: { code: 'payment_not_customers' } });
    expect(await api.store.headPosition()).toBe(head);
    const bobs = await driver.pay('till-1', bob, '300', 0.4);
    expect(await fileFor(bob, [bobs.paymentId], '301')).toMatchObject({ status: 400, body: { code: 'claim_exceeds_payments' } });
  });

  it('refuses a second claim on the same payment', async () => {
    expect(await fileFor(alice, [payments[1]], '100')).toMatchObject({ status: 409, body: { code: 'payment_already_claimed', details: { paymentId: payments[1] } } });
  });

  it('assigns to the caller and attaches the evidence pack assembled from events', async () => {
    const assigned = await driver.call(analyst, 'POST', `/v1/claims/${claim.claimId}/assign`, {}, randomUUID());
    expect(assigned).toMatchObject({ status: 200, body: { status: 'assigned', assignee: 'analyst' } });
    const evidence = await driver.call(auditor, 'GET', `/v1/claims/${claim.claimId}/evidence`);
    expect(evidence.status).toBe(200);
    const pack = evidence.body as ClaimEvidencePack;
    expect(pack).toMatchObject({ claimId: claim.claimId, customerId: alice.id });
    expect(pack.payments.map((p) => p.paymentId)).toEqual(payments);
    expect(pack.payments[0]).toMatchObject({ amountMinor: '1200', status: 'captured', terminalId: 'till-1', merchantId: driver.merchantId, livenessVerdict: 'live', livenessScores: [{ check: 'fused', score: 0.95 }] });
    expect(pack.payments[0].matchScore).toBeGreaterThanOrEqual(pack.payments[0].matchThreshold as number);
    expect(pack.recentActivity.map((p) => p.paymentId)).toEqual([...payments].reverse());
    expect(await driver.call(analyst, 'POST', `/v1/claims/${claim.claimId}/assign`, { assignee: 'someone' }, randomUUID())).toMatchObject({ status: 400 });
  });

  it('lets only analysts and admins decide, and only the assignee', async () => {
    const approve = (token: string) => driver.call(token, 'POST', `/v1/claims/${claim.claimId}/approve`, { amountMinor: '1500' }, randomUUID());
    expect(await approve(auditor)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await approve(driver.admin)).toMatchObject({ status: 403, body: { code: 'not_assignee' } });
    expect(await driver.call(auditor, 'POST', `/v1/claims/${claim.claimId}/reject`, { reason: 'no' }, randomUUID())).toMatchObject({ status: 403 });
    expect(await driver.call(analyst, 'POST', `/v1/claims/${claim.claimId}/approve`, { amountMinor: '2001' }, randomUUID())).toMatchObject({
      status: 400,
      body: { code: 'reimbursement_exceeds_claim' },
    });
  });

  it('approves: the wallet rises by exactly the approved amount, once, and face payment is locked until re-enrolment', async () => {
    const socket = io(api.base + LIVE_NAMESPACE, { auth: { token: auditor }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    const pushed = new Promise<ClaimView>((resolve) => socket.on('claim.updated', (view: ClaimView) => view.claimId === claim.claimId && view.status === 'reimbursed' && resolve(view)));
    const before = await available(alice.walletAccountId);
    const reserveBefore = await available(lossReserveAccountId('EUR'));
    const key = randomUUID();
    const approved = await driver.call(analyst, 'POST', `/v1/claims/${claim.claimId}/approve`, { amountMinor: '1500' }, key);
    expect(approved).toMatchObject({ status: 200, body: { claimId: claim.claimId, status: 'reimbursed', assignee: 'analyst' } });
    expect(await driver.call(analyst, 'POST', `/v1/claims/${claim.claimId}/approve`, { amountMinor: '1500' }, key)).toEqual(approved);
    expect(await driver.call(analyst, 'POST', `/v1/claims/${claim.claimId}/approve`, { amountMinor: '1500' }, randomUUID())).toMatchObject({ status: 200 });
    expect(await available(alice.walletAccountId)).toBe(before + 1500n);
    expect(await available(lossReserveAccountId('EUR'))).toBe(reserveBefore - 1500n);
    expect(await pushed).toMatchObject({ status: 'reimbursed', claimedMinor: '2000' });

    const customerEvents = await api.store.readStream(`customer-${alice.id}`);
    expect(customerEvents.filter((e) => e.type === 'BiometricsErased')).toHaveLength(1);
    const attempt = await driver.pay('till-1', alice, '100', 0.5);
    // Told why (her face was erased with the approval), not that her face did not match.
    expect(attempt).toMatchObject({ decision: 'declined', reason: 'reenrollment_required' });
    expect(await available(alice.walletAccountId)).toBe(before + 1500n);
  });

  it('rejects with a reason and moves no money', async () => {
    const paid = await driver.pay('till-1', bob, '250', 0.6);
    const filed = await fileFor(bob, [paid.paymentId], '250');
    await driver.call(analyst, 'POST', `/v1/claims/${filed.body.claimId}/assign`, {}, randomUUID());
    const before = await available(bob.walletAccountId);
    const rejected = await driver.call(analyst, 'POST', `/v1/claims/${filed.body.claimId}/reject`, { reason: 'paid in person' }, randomUUID());
    expect(rejected).toMatchObject({ status: 200, body: { status: 'rejected' } });
    expect(await available(bob.walletAccountId)).toBe(before);
    expect(await driver.call(analyst, 'POST', `/v1/claims/${filed.body.claimId}/approve`, { amountMinor: '250' }, randomUUID())).toMatchObject({ status: 409, body: { code: 'claim_decided' } });
  });
});
