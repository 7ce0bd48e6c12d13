import { randomUUID } from 'node:crypto';
import { checkoutStreamId } from '@smilepay/checkout/domain';
import { allEvents, biometricLookingPaths } from '@smilepay/enrollment/application';
import { at, openCheckoutTestKit, type CheckoutTestKit, type EnrolledCustomer } from '../testing/checkout-test-kit';

describe.each(['sqlite', 'postgres'] as const)('a face checkout on %s', (dialect) => {
  let kit: CheckoutTestKit;
  let alice: EnrolledCustomer;

  beforeAll(async () => {
    kit = await openCheckoutTestKit(dialect);
    await kit.registerTerminal('ter_new', at(-60));
    alice = await kit.enrolledCustomer('+8613800138000', { balanceMinor: 10_000n });
  });
  afterAll(() => kit.dispose());

  const authorize = (
    checkoutId: string,
    credentialId: string,
    seconds: number,
    transferId: string = randomUUID(),
    session = 'ses_ter_new',
  ) =>
    kit.checkout.authorize(
      { checkoutId, credentialId, terminalId: 'ter_new', terminalSessionId: session, transferId, at: at(seconds) },
      kit.context,
    );

  async function identified(
    amountMinor: bigint,
    seconds: number,
  ): Promise<{ checkoutId: string; credentialId: string }> {
    const { checkoutId, step } = await kit.startFaceCheckout({ terminalId: 'ter_new', amountMinor, at: at(seconds) });
    expect(step).toEqual({ next: 'phone', digits: 11, reason: 'new_terminal' });
    const next = await kit.checkout.submitPhoneFactor(
      { checkoutId, digits: alice.phone, probe: kit.genuineProbe(alice), at: at(seconds + 1) },
      kit.context,
    );
    if (next.next !== 'authorize') throw new Error(`expected a credential, got ${JSON.stringify(next)}`);
    expect(next.customerId).toBe(alice.customerId);
    return { checkoutId, credentialId: next.credentialId };
  }

  it('pays: full phone number at a new terminal, 1:1 match, credential, hold, capture', async () => {
    const before = await kit.walletBalances(alice.walletAccountId);
    const { checkoutId, credentialId } = await identified(1_250n, 0);
    const authorized = await authorize(checkoutId, credentialId, 3);
    expect(authorized).toMatchObject({ outcome: 'authorized', customerId: alice.customerId });
    expect((await kit.walletBalances(alice.walletAccountId)).debitsPending).toBe(before.debitsPending + 1_250n);
    expect(await kit.checkout.capture({ checkoutId, at: at(4) }, kit.context)).toEqual({
      next: 'done',
      status: 'captured',
    });
    const after = await kit.walletBalances(alice.walletAccountId);
    expect(after.debitsPosted).toBe(before.debitsPosted + 1_250n);
    expect(after.debitsPending).toBe(before.debitsPending);
    const types = (await kit.store.readStream(checkoutStreamId(checkoutId))).map((e) => e.type);
    expect(types).toEqual([
      'CheckoutStarted',
      'LivenessVerdictRecorded',
      'PhoneFactorRequested',
      'PhoneFactorProvided',
      'FaceMatchRecorded',
      'FaceCredentialIssued',
      'PaymentAuthorized',
      'PaymentCaptured',
    ]);
  });

  it('declines a reused credential, whether replayed later or raced concurrently, and holds the money once', async () => {
    const before = await kit.walletBalances(alice.walletAccountId);
    const { checkoutId, credentialId } = await identified(500n, 100);
    const results = await Promise.all(Array.from({ length: 5 }, () => authorize(checkoutId, credentialId, 102)));
    expect(results.filter((r) => r.outcome === 'authorized')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'declined')).toEqual(
      Array(4).fill({ outcome: 'declined', reason: 'credential_reused' }),
    );
    expect((await kit.walletBalances(alice.walletAccountId)).debitsPending).toBe(before.debitsPending + 500n);
    expect(await authorize(checkoutId, credentialId, 110)).toEqual({
      outcome: 'declined',
      reason: 'credential_reused',
    });
    const winner = results.find((r) => r.outcome === 'authorized');
    if (winner?.outcome !== 'authorized') throw new Error('one authorization must win');
    // The winner retrying with its own transfer id is not a reuse.
    expect(await authorize(checkoutId, credentialId, 111, winner.transferId)).toMatchObject({ outcome: 'authorized' });
    const declines = (await kit.store.readStream(checkoutStreamId(checkoutId))).filter(
      (e) => e.type === 'PaymentDeclined',
    );
    expect(declines.length).toBeGreaterThanOrEqual(5);
    await kit.checkout.void({ checkoutId, reason: 'cancelled', at: at(112) }, kit.context);
    expect((await kit.walletBalances(alice.walletAccountId)).debitsPending).toBe(before.debitsPending);
  });

  it('declines an expired credential and one presented from another session', async () => {
    const first = await identified(300n, 200);
    expect(await authorize(first.checkoutId, first.credentialId, 261)).toEqual({
      outcome: 'declined',
      reason: 'credential_expired',
    });
    const second = await identified(300n, 300);
    expect(await authorize(second.checkoutId, second.credentialId, 302, randomUUID(), 'ses_stolen')).toEqual({
      outcome: 'declined',
      reason: 'credential_invalid',
    });
  });

  it('declines an impostor, offering the PIN, and counts the failed attempt against the customer', async () => {
    const { checkoutId } = await kit.startFaceCheckout({ terminalId: 'ter_new', amountMinor: 900n, at: at(400) });
    const step = await kit.checkout.submitPhoneFactor(
      { checkoutId, digits: alice.phone, probe: kit.impostorProbe(), at: at(401) },
      kit.context,
    );
    expect(step).toEqual({ next: 'declined', reason: 'no_match', fallback: 'phone_pin' });
    const last = (await kit.store.readStream(`customer-${alice.customerId}`)).at(-1);
    expect(last).toMatchObject({ type: 'FaceAttemptFailed', data: { checkoutId, reason: 'no_match' } });
  });

  it('declines a spoof before any phone is asked, counting it against the terminal', async () => {
    const { checkoutId } = await kit.checkout.start(
      {
        merchantId: kit.merchantId,
        terminalId: 'ter_new',
        terminalSessionId: 's',
        amountMinor: 100n,
        currency: 'EUR',
        idempotencyKey: randomUUID(),
        method: 'face',
        at: at(500),
      },
      kit.context,
    );
    const step = await kit.checkout.recordLiveness(
      { checkoutId, verdict: 'spoof', score: 0.05, at: at(500) },
      kit.context,
    );
    expect(step).toEqual({ next: 'declined', reason: 'spoof', fallback: 'phone_pin' });
    expect((await kit.store.readStream('terminal-ter_new')).at(-1)).toMatchObject({
      type: 'TerminalFaceAttemptFailed',
      data: { reason: 'spoof' },
    });
  });

  it('declines an unknown phone number and insufficient funds', async () => {
    const unknown = await kit.startFaceCheckout({ terminalId: 'ter_new', amountMinor: 100n, at: at(600) });
    const step = await kit.checkout.submitPhoneFactor(
      { checkoutId: unknown.checkoutId, digits: '+8613999999999', probe: kit.genuineProbe(alice), at: at(601) },
      kit.context,
    );
    expect(step).toEqual({ next: 'declined', reason: 'phone_mismatch', fallback: 'phone_pin' });
    const { checkoutId, credentialId } = await identified(1_000_000n, 700);
    expect(await authorize(checkoutId, credentialId, 702)).toEqual({
      outcome: 'declined',
      reason: 'insufficient_funds',
    });
  });

  it('starts one checkout per idempotency key', async () => {
    const input = {
      merchantId: kit.merchantId,
      terminalId: 'ter_new',
      terminalSessionId: 's1',
      amountMinor: 700n,
      currency: 'EUR' as const,
      idempotencyKey: 'order-42',
      method: 'face' as const,
      at: at(800),
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => kit.checkout.start(input, kit.context)));
    expect(new Set(results.map((r) => r.checkoutId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    await expect(kit.checkout.start({ ...input, amountMinor: 701n }, kit.context)).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    });
    await expect(kit.checkout.start({ ...input, merchantId: 'mer_other' }, kit.context)).rejects.toMatchObject({
      code: 'terminal_merchant_mismatch',
    });
  });

  it('refunds in parts, never more than was captured', async () => {
    const { checkoutId, credentialId } = await identified(2_000n, 900);
    await authorize(checkoutId, credentialId, 902);
    await kit.checkout.capture({ checkoutId, at: at(903) }, kit.context);
    const before = await kit.walletBalances(alice.walletAccountId);
    expect(
      await kit.checkout.refund({ checkoutId, refundId: 'r1', amountMinor: 1_500n, at: at(910) }, kit.context),
    ).toEqual({
      refundId: 'r1',
      status: 'refunded',
      refundedMinor: 1_500n,
      refundableMinor: 500n,
    });
    expect(
      (await kit.checkout.refund({ checkoutId, refundId: 'r1', amountMinor: 1_500n, at: at(911) }, kit.context))
        .refundedMinor,
    ).toBe(1_500n);
    await expect(
      kit.checkout.refund({ checkoutId, refundId: 'r2', amountMinor: 501n, at: at(912) }, kit.context),
    ).rejects.toMatchObject({ code: 'refund_exceeds_captured' });
    await kit.checkout.refund({ checkoutId, refundId: 'r3', amountMinor: 500n, at: at(913) }, kit.context);
    await kit.settle();
    const after = await kit.walletBalances(alice.walletAccountId);
    expect(after.creditsPosted).toBe(before.creditsPosted + 2_000n);
  });

  it('writes nothing biometric and no phone number into any event outside the customer registration', async () => {
    const events = await allEvents(kit.store);
    expect(biometricLookingPaths(events)).toEqual([]);
    const outsideRegistration = events.filter((e) => e.type !== 'CustomerRegistered');
    expect(JSON.stringify(outsideRegistration.map((e) => e.data))).not.toContain('13800138000');
  });
});
