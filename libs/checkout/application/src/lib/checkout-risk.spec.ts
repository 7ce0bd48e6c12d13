import { randomUUID } from 'node:crypto';
import { vectorAtSimilarity } from '@smilepay/enrollment/application';
import type { CheckoutStep } from '@smilepay/checkout/domain';
import { at, openCheckoutTestKit, type CheckoutTestKit, type EnrolledCustomer } from '../testing/checkout-test-kit';

const DAY_S = 86_400;

describe('checkout risk rules, lockout and the PIN alternative', () => {
  let kit: CheckoutTestKit;
  let clock = 0;
  const tick = () => at(clock++);

  beforeAll(async () => {
    kit = await openCheckoutTestKit('sqlite');
    await kit.registerTerminal('ter_shop', at(-30 * DAY_S));
    for (const terminalId of ['ter_a', 'ter_b', 'ter_c']) await kit.registerTerminal(terminalId, at(-60));
  });
  afterAll(() => kit.dispose());

  async function pay(
    customer: EnrolledCustomer,
    terminalId: string,
    amountMinor: bigint,
    digits: (step: CheckoutStep) => string,
  ): Promise<CheckoutStep> {
    const { checkoutId, step } = await kit.startFaceCheckout({ terminalId, amountMinor, at: tick() });
    let next = step;
    for (let prompts = 0; next.next === 'phone' && prompts < 2; prompts++) {
      next = await kit.checkout.submitPhoneFactor(
        { checkoutId, digits: digits(next), probe: kit.genuineProbe(customer), at: tick() },
        kit.context,
      );
    }
    if (next.next !== 'authorize') return next;
    const result = await kit.checkout.authorize(
      {
        checkoutId,
        credentialId: next.credentialId,
        terminalId,
        terminalSessionId: `ses_${terminalId}`,
        transferId: randomUUID(),
        at: tick(),
      },
      kit.context,
    );
    if (result.outcome === 'declined') return { next: 'declined', reason: result.reason, fallback: null };
    return kit.checkout.capture({ checkoutId, at: tick() }, kit.context);
  }
  const fullNumber = (customer: EnrolledCustomer) => () => customer.phone;

  describe('at an established terminal', () => {
    let bob: EnrolledCustomer;
    let carol: EnrolledCustomer;
    let dave: EnrolledCustomer;

    beforeAll(async () => {
      bob = await kit.enrolledCustomer('+8613800001111', { balanceMinor: 100_000n });
      carol = await kit.enrolledCustomer('+8613800002222', { balanceMinor: 100_000n });
      dave = await kit.enrolledCustomer('+8613800003333', { balanceMinor: 100_000n });
      // 20 successful face payments make the terminal established, and bob and carol its regulars.
      for (let i = 0; i < 10; i++) {
        expect(await pay(bob, 'ter_shop', 100n, fullNumber(bob))).toEqual({ next: 'done', status: 'captured' });
        expect(await pay(carol, 'ter_shop', 100n, fullNumber(carol))).toEqual({ next: 'done', status: 'captured' });
      }
    });

    it('asks a regular for the last 4 digits only', async () => {
      const prompts: CheckoutStep[] = [];
      const step = await pay(bob, 'ter_shop', 5_000n, (prompt) => (prompts.push(prompt), bob.phone.slice(-4)));
      expect(prompts).toEqual([{ next: 'phone', digits: 4, reason: 'regular_check' }]);
      expect(step).toEqual({ next: 'done', status: 'captured' });
    });

    it('asks a new customer for the whole number after the 4 digits found no regular', async () => {
      const prompts: CheckoutStep[] = [];
      const step = await pay(
        dave,
        'ter_shop',
        5_000n,
        (prompt) => (
          prompts.push(prompt),
          prompt.next === 'phone' && prompt.digits === 4 ? dave.phone.slice(-4) : dave.phone
        ),
      );
      expect(prompts).toEqual([
        { next: 'phone', digits: 4, reason: 'regular_check' },
        { next: 'phone', digits: 11, reason: 'not_a_regular' },
      ]);
      expect(step).toEqual({ next: 'done', status: 'captured' });
    });

    it('asks for no digits under the low-risk rule, matching among the few regulars', async () => {
      const prompts: CheckoutStep[] = [];
      const step = await pay(carol, 'ter_shop', 1_500n, (prompt) => (prompts.push(prompt), ''));
      expect(prompts).toEqual([{ next: 'phone', digits: 0, reason: 'low_risk' }]);
      expect(step).toEqual({ next: 'done', status: 'captured' });
    });
  });

  it('locks face payment after 10 failed attempts with liveness, then the customer pays with phone and PIN', async () => {
    const eve = await kit.enrolledCustomer('+8613800004444', { balanceMinor: 10_000n });
    for (let i = 0; i < 10; i++) {
      // Spread over two terminals so that the terminals stay below their own limit.
      const terminalId = i % 2 === 0 ? 'ter_a' : 'ter_b';
      const { checkoutId } = await kit.startFaceCheckout({ terminalId, amountMinor: 100n, at: tick() });
      const step = await kit.checkout.submitPhoneFactor(
        { checkoutId, digits: eve.phone, probe: kit.impostorProbe(), at: tick() },
        kit.context,
      );
      expect(step).toMatchObject({ next: 'declined', reason: 'no_match' });
    }
    expect(await pay(eve, 'ter_c', 100n, fullNumber(eve))).toEqual({
      next: 'declined',
      reason: 'locked',
      fallback: 'phone_pin',
    });

    await kit.enrollment.setPin({ customerId: eve.customerId, pin: '482916', at: tick() }, kit.context);
    const { checkoutId, status } = await kit.checkout.start(
      {
        merchantId: kit.merchantId,
        terminalId: 'ter_c',
        terminalSessionId: 'ses_ter_c',
        amountMinor: 300n,
        currency: 'EUR',
        idempotencyKey: randomUUID(),
        method: 'phone_pin',
        at: tick(),
      },
      kit.context,
    );
    expect(status).toBe('awaiting_phone');
    expect(await kit.checkout.submitPhoneFactor({ checkoutId, digits: eve.phone, at: tick() }, kit.context)).toEqual({
      next: 'pin',
      reason: 'pin_method',
    });
    const credential = await kit.checkout.verifyPin({ checkoutId, pin: '482916', at: tick() }, kit.context);
    if (credential.next !== 'authorize') throw new Error(`expected a credential, got ${JSON.stringify(credential)}`);
    const result = await kit.checkout.authorize(
      {
        checkoutId,
        credentialId: credential.credentialId,
        terminalId: 'ter_c',
        terminalSessionId: 'ses_ter_c',
        transferId: randomUUID(),
        at: tick(),
      },
      kit.context,
    );
    expect(result).toMatchObject({ outcome: 'authorized', customerId: eve.customerId });
  });

  it('forces the PIN on look-alikes: with a PIN the payment goes through, without one it is declined', async () => {
    const frank = await kit.enrolledCustomer('+8613800005555', { balanceMinor: 10_000n });
    const grace = await kit.enrolledCustomer('+8613800006666', {
      balanceMinor: 10_000n,
      face: vectorAtSimilarity(frank.face, 0.45),
      pin: '730194',
    });
    expect(await pay(frank, 'ter_c', 100n, fullNumber(frank))).toEqual({
      next: 'declined',
      reason: 'pin_required',
      fallback: null,
    });

    const { checkoutId } = await kit.startFaceCheckout({ terminalId: 'ter_c', amountMinor: 200n, at: tick() });
    expect(
      await kit.checkout.submitPhoneFactor(
        { checkoutId, digits: grace.phone, probe: kit.genuineProbe(grace), at: tick() },
        kit.context,
      ),
    ).toEqual({
      next: 'pin',
      reason: 'face_too_close',
    });
    expect(await kit.checkout.verifyPin({ checkoutId, pin: '000001', at: tick() }, kit.context)).toEqual({
      next: 'declined',
      reason: 'pin_mismatch',
      fallback: null,
    });
    expect(await pay(grace, 'ter_c', 200n, fullNumber(grace))).toEqual({ next: 'pin', reason: 'face_too_close' });
  });

  it('matches 1:few behind a shared phone and pays the right person', async () => {
    const henry = await kit.enrolledCustomer('+8613800007777', { balanceMinor: 10_000n });
    const iris = await kit.enrolledCustomer('+8613800007777', { balanceMinor: 10_000n });
    const { checkoutId } = await kit.startFaceCheckout({ terminalId: 'ter_c', amountMinor: 400n, at: tick() });
    const step = await kit.checkout.submitPhoneFactor(
      { checkoutId, digits: '+8613800007777', probe: kit.genuineProbe(iris), at: tick() },
      kit.context,
    );
    expect(step).toMatchObject({ next: 'authorize', customerId: iris.customerId });
    const { state } = await kit.checkout.get(checkoutId);
    expect(state).toMatchObject({ phoneFactor: { candidateCustomerIds: [henry.customerId, iris.customerId].sort() } });
  });
});
