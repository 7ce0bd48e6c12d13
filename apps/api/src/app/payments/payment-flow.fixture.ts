import { randomUUID } from 'node:crypto';
import { CheckoutService } from '@smilepay/checkout/application';
import type { CheckoutStep } from '@smilepay/checkout/domain';
import { EnrollmentService, noisyCopy, randomUnitVector, type RequestContext } from '@smilepay/enrollment/application';
import { LedgerService } from '@smilepay/ledger/application';
import type { TestApi } from '../../testing/test-api';

const MODEL = 'arcface-r100@1';
const WALLET = { currency: 'EUR' as const, ledger: 978, code: 1 };

export interface Customer {
  customerId: string;
  phone: string;
  walletAccountId: string;
  face: Float32Array;
}

/**
 * Drives real payments into a running test api through the api's own services (CheckoutService, EnrollmentService,
 * LedgerService), so the events are exactly what production appends. Test support only.
 */
export class PaymentFlow {
  readonly merchantId = 'mer_coffee';
  readonly context: RequestContext = { correlationId: randomUUID(), actor: 'terminal:test' };
  private readonly merchantAccountId = randomUUID();
  private readonly external = randomUUID();
  private readonly ledger: LedgerService;
  readonly enrollment: EnrollmentService;
  readonly checkout: CheckoutService;

  private constructor(private readonly api: TestApi) {
    this.ledger = api.app.get(LedgerService);
    this.enrollment = api.app.get(EnrollmentService);
    this.checkout = api.app.get(CheckoutService);
  }

  static async open(api: TestApi): Promise<PaymentFlow> {
    const flow = new PaymentFlow(api);
    await flow.ledger.openAccount({ accountId: flow.external, kind: 'external', ...WALLET, code: 9 }, flow.context);
    await flow.ledger.openAccount({ accountId: flow.merchantAccountId, kind: 'merchant', ...WALLET, code: 2 }, flow.context);
    return flow;
  }

  registerTerminal(terminalId: string): Promise<{ created: boolean }> {
    const input = { terminalId, merchantId: this.merchantId, merchantAccountId: this.merchantAccountId, at: new Date(Date.now() - 3_600_000) };
    return this.enrollment.registerTerminal(input, this.context);
  }

  async enrolledCustomer(phone: string, balanceMinor: bigint): Promise<Customer> {
    const customerId = `cus_${randomUUID()}`;
    const wallet = { accountId: randomUUID(), ...WALLET };
    const at = new Date(Date.now() - 3_600_000);
    const face = randomUnitVector();
    await this.enrollment.registerCustomer({ customerId, phone, wallet, at }, this.context);
    const consent = { customerId, consentTextVersion: 'bio-1', consentText: 'Face template for payments only.', purpose: 'face payment', retentionTermDays: 365, at };
    await this.enrollment.giveBiometricConsent(consent, this.context);
    await this.enrollment.enrollFace({ customerId, templateRef: `tpl_${randomUUID()}`, embedding: face, quality: 0.9, modelVersion: MODEL, liveness: 'live', at }, this.context);
    const topUp = { id: randomUUID(), debitAccountId: this.external, creditAccountId: wallet.accountId, amount: balanceMinor, ...WALLET, kind: 'single' as const };
    if (balanceMinor > 0n) await this.ledger.createTransfers({ transfers: [topUp] }, this.context);
    // Checkout finds the customer by phone through the api's phone index, a projection.
    await this.api.settle();
    return { customerId, phone, walletAccountId: wallet.accountId, face };
  }

  /** A face payment at a new terminal, end to end: liveness, full phone number, 1:1 match, hold, then capture. */
  async pay(terminalId: string, customer: Customer, amountMinor: bigint, end: 'capture' | 'hold' = 'capture'): Promise<{ checkoutId: string; transferId: string }> {
    const checkoutId = await this.start(terminalId, amountMinor);
    await this.checkout.recordLiveness({ checkoutId, verdict: 'live', score: 0.97, at: new Date() }, this.context);
    const probe = { embedding: noisyCopy(customer.face, 0.3), modelVersion: MODEL };
    const step: CheckoutStep = await this.checkout.submitPhoneFactor({ checkoutId, digits: customer.phone, probe, at: new Date() }, this.context);
    if (step.next !== 'authorize') throw new Error(`expected a credential, got ${JSON.stringify(step)}`);
    const transferId = randomUUID();
    const input = { checkoutId, credentialId: step.credentialId, terminalId, terminalSessionId: `ses_${terminalId}`, transferId, at: new Date() };
    const authorized = await this.checkout.authorize(input, this.context);
    if (authorized.outcome !== 'authorized') throw new Error(`expected an authorization, got ${JSON.stringify(authorized)}`);
    if (end === 'capture') await this.checkout.capture({ checkoutId, at: new Date() }, this.context);
    return { checkoutId, transferId };
  }

  /** A presentation attack: declined on the liveness verdict. */
  async spoof(terminalId: string): Promise<string> {
    const checkoutId = await this.start(terminalId, 500n);
    await this.checkout.recordLiveness({ checkoutId, verdict: 'spoof', score: 0.03, at: new Date() }, this.context);
    return checkoutId;
  }

  async start(terminalId: string, amountMinor: bigint): Promise<string> {
    const input = { merchantId: this.merchantId, terminalId, terminalSessionId: `ses_${terminalId}`, amountMinor, currency: 'EUR' as const, idempotencyKey: randomUUID(), method: 'face' as const, at: new Date() };
    return (await this.checkout.start(input, this.context)).checkoutId;
  }
}
