import { randomUUID } from 'node:crypto';
import { at, openCheckoutTestKit, type CheckoutTestKit, type EnrolledCustomer } from '@smilepay/checkout/application';
import { checkoutStreamId, type CheckoutStep } from '@smilepay/checkout/domain';
import type { AlertDraft } from '@smilepay/risk/domain';
import { RiskAlertsService } from '../alerts/risk-alerts.service';
import { RiskStanding } from './risk-standing';

const analyst = { correlationId: 'corr-analyst', actor: 'analyst:ana' };

/**
 * Checkout enforces risk's actions through the real services: the api's wiring (RiskStanding as checkout's risk port),
 * the real event store and ledger. A lock or quarantine declines with its own reason and moves no money.
 */
describe('checkout refuses what risk locked or quarantined', () => {
  let kit: CheckoutTestKit;
  let alerts: RiskAlertsService;
  let clock = 0;
  const tick = () => at(clock++);

  beforeAll(async () => {
    kit = await openCheckoutTestKit('sqlite', { risk: (store) => new RiskStanding(store) });
    alerts = new RiskAlertsService(kit.store);
    for (const terminalId of ['ter_ok', 'ter_bad']) await kit.registerTerminal(terminalId, at(-60));
  });
  afterAll(() => kit.dispose());

  async function raise(draft: Partial<AlertDraft>): Promise<string> {
    const full: AlertDraft = {
      rule: 'customer_velocity',
      severity: 'high',
      subjectType: 'customer',
      subjectId: 'x',
      customerId: null,
      terminalId: null,
      checkoutId: randomUUID(),
      message: 'test alert',
      action: 'alert',
      ...draft,
    };
    return (await alerts.raise(full, randomUUID(), tick(), { correlationId: 'corr-risk', actor: 'system:risk' }))
      .alertId;
  }

  async function identify(customer: EnrolledCustomer, terminalId: string, amountMinor: bigint): Promise<{
    checkoutId: string;
    step: CheckoutStep;
  }> {
    const { checkoutId, step } = await kit.startFaceCheckout({ terminalId, amountMinor, at: tick() });
    if (step.next !== 'phone') return { checkoutId, step };
    const next = await kit.checkout.submitPhoneFactor(
      { checkoutId, digits: customer.phone, probe: kit.genuineProbe(customer), at: tick() },
      kit.context,
    );
    return { checkoutId, step: next };
  }

  const authorize = (checkoutId: string, credentialId: string, terminalId: string) =>
    kit.checkout.authorize(
      {
        checkoutId,
        credentialId,
        terminalId,
        terminalSessionId: `ses_${terminalId}`,
        transferId: randomUUID(),
        at: tick(),
      },
      kit.context,
    );

  async function declineEvent(checkoutId: string) {
    const events = await kit.store.readStream(checkoutStreamId(checkoutId));
    return events.filter((e) => e.type === 'PaymentDeclined').map((e) => e.data);
  }

  it('pays normally while nothing is restricted (the positive space)', async () => {
    const eve = await kit.enrolledCustomer('+8613900000001', { balanceMinor: 10_000n });
    const { checkoutId, step } = await identify(eve, 'ter_ok', 500n);
    if (step.next !== 'authorize') throw new Error(`expected a credential, got ${JSON.stringify(step)}`);
    expect(await authorize(checkoutId, step.credentialId, 'ter_ok')).toMatchObject({ outcome: 'authorized' });
  });

  it('declines a locked customer customer_locked when identified, with no hold on the wallet', async () => {
    const mallory = await kit.enrolledCustomer('+8613900000002', { balanceMinor: 10_000n });
    const alertId = await raise({ subjectType: 'customer', subjectId: mallory.customerId, customerId: mallory.customerId });
    await alerts.lockCustomer({ alertId, by: 'analyst:ana', at: tick() }, analyst);

    const { checkoutId, step } = await identify(mallory, 'ter_ok', 700n);

    expect(step).toEqual({ next: 'declined', reason: 'customer_locked', fallback: null });
    expect(await declineEvent(checkoutId)).toEqual([
      expect.objectContaining({ reason: 'customer_locked', customerId: mallory.customerId, fallback: null }),
    ]);
    expect(await kit.walletBalances(mallory.walletAccountId)).toEqual({
      debitsPending: 0n,
      debitsPosted: 0n,
      creditsPosted: 10_000n,
    });
  });

  it('declines a customer locked after the credential was issued, before any money is held', async () => {
    const trent = await kit.enrolledCustomer('+8613900000003', { balanceMinor: 10_000n });
    const { checkoutId, step } = await identify(trent, 'ter_ok', 900n);
    if (step.next !== 'authorize') throw new Error(`expected a credential, got ${JSON.stringify(step)}`);
    const alertId = await raise({ subjectType: 'customer', subjectId: trent.customerId, customerId: trent.customerId });
    await alerts.lockCustomer({ alertId, by: 'analyst:ana', at: tick() }, analyst);

    expect(await authorize(checkoutId, step.credentialId, 'ter_ok')).toEqual({
      outcome: 'declined',
      reason: 'customer_locked',
    });
    expect((await kit.walletBalances(trent.walletAccountId)).debitsPending).toBe(0n);
  });

  it('declines every checkout at a quarantined terminal terminal_quarantined, face or PIN, moving no money', async () => {
    const walter = await kit.enrolledCustomer('+8613900000004', { balanceMinor: 10_000n });
    // A credential issued before the quarantine is refused at authorization.
    const before = await identify(walter, 'ter_bad', 300n);
    if (before.step.next !== 'authorize') throw new Error(`expected a credential, got ${JSON.stringify(before.step)}`);
    const alertId = await raise({ rule: 'spoof_burst', subjectType: 'terminal', subjectId: 'ter_bad', terminalId: 'ter_bad' });
    await alerts.quarantineTerminal({ alertId, by: 'analyst:ana', at: tick() }, analyst);
    expect(await authorize(before.checkoutId, before.step.credentialId, 'ter_bad')).toEqual({
      outcome: 'declined',
      reason: 'terminal_quarantined',
    });

    const face = await kit.checkout.start(
      { merchantId: kit.merchantId, terminalId: 'ter_bad', terminalSessionId: 'ses_ter_bad', amountMinor: 300n, currency: 'EUR', idempotencyKey: randomUUID(), method: 'face', at: tick() },
      kit.context,
    );
    const pin = await kit.checkout.start(
      { merchantId: kit.merchantId, terminalId: 'ter_bad', terminalSessionId: 'ses_ter_bad', amountMinor: 300n, currency: 'EUR', idempotencyKey: randomUUID(), method: 'phone_pin', at: tick() },
      kit.context,
    );
    for (const started of [face, pin]) {
      expect(started.status).toBe('declined');
      expect((await kit.checkout.get(started.checkoutId)).step).toEqual({
        next: 'declined',
        reason: 'terminal_quarantined',
        fallback: null,
      });
    }
    expect(await kit.walletBalances(walter.walletAccountId)).toEqual({
      debitsPending: 0n,
      debitsPosted: 0n,
      creditsPosted: 10_000n,
    });
    // The quarantine is the terminal's, not the customer's: walter still pays elsewhere.
    const elsewhere = await identify(walter, 'ter_ok', 300n);
    expect(elsewhere.step.next).toBe('authorize');
  });
});
