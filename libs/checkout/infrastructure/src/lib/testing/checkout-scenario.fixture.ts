import { randomUUID } from 'node:crypto';
import {
  CHECKOUT_EVENT_TYPES,
  checkoutDecider,
  checkoutStreamId,
  type CheckoutCommand,
  type CheckoutEvent,
  type CheckoutState,
} from '@smilepay/checkout/domain';
import {
  CUSTOMER_EVENT_TYPES,
  customerDecider,
  customerStreamId,
  TERMINAL_EVENT_TYPES,
  terminalDecider,
  terminalStreamId,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
  type TerminalCommand,
  type TerminalEvent,
  type TerminalState,
} from '@smilepay/enrollment/domain';
import { CommandHandler, type EventCodec, type EventMetadata, type EventStore, type RecordedEvent } from '@smilepay/shared/eventstore';
import { LedgerDriver } from './ledger-driver.fixture';

function codec<E extends { type: string; data: unknown }>(types: readonly string[]): EventCodec<E> {
  const known = new Set(types);
  return {
    encode: (event) => ({ type: event.type, data: event.data }),
    decode: (r: RecordedEvent) => (known.has(r.type) ? ({ type: r.type, data: r.data } as E) : undefined),
  };
}

const seconds = (from: Date, s: number): Date => new Date(from.getTime() + s * 1000);
const NEW_TERMINAL = { registeredAt: new Date('2025-01-01T00:00:00.000Z'), successfulFaceAttempts: 0, consecutiveFailures: 0, regularCount: 0 };

export interface PaidCheckout {
  checkoutId: string;
  transferId: string;
  /** The post's transfer id when captured, the void's when voided. */
  resolutionId: string | null;
}

/**
 * Real events from the real deciders, for this lib's tests: terminals and customers through the enrollment deciders,
 * checkouts through the checkout decider, money through the ledger's deciders (LedgerDriver). The steps follow the
 * checkout application's order (hold in the ledger before PaymentAuthorized, post before PaymentCaptured).
 */
export class CheckoutScenario {
  readonly ledger: LedgerDriver;
  readonly merchantId = 'mer_coffee';
  private readonly metadata: EventMetadata = { correlationId: randomUUID(), causationId: randomUUID(), actor: 'terminal:test', schemaVersion: 1 };
  private readonly checkouts: CommandHandler<CheckoutCommand, CheckoutEvent, CheckoutState>;
  private readonly terminals: CommandHandler<TerminalCommand, TerminalEvent, TerminalState>;
  private readonly customers: CommandHandler<CustomerCommand, CustomerEvent, CustomerState>;
  private merchantAccountId = '';
  private external = '';

  constructor(readonly store: EventStore) {
    this.ledger = new LedgerDriver(store, this.metadata);
    this.checkouts = new CommandHandler(store, checkoutDecider, codec<CheckoutEvent>(CHECKOUT_EVENT_TYPES));
    this.terminals = new CommandHandler(store, terminalDecider, codec<TerminalEvent>(TERMINAL_EVENT_TYPES));
    this.customers = new CommandHandler(store, customerDecider, codec<CustomerEvent>(CUSTOMER_EVENT_TYPES));
  }

  async openMerchant(at: Date): Promise<void> {
    this.external = await this.ledger.open('external', at);
    this.merchantAccountId = await this.ledger.open('merchant', at);
  }

  async registerTerminal(terminalId: string, at: Date): Promise<void> {
    await this.terminals.handle(terminalStreamId(terminalId), { type: 'RegisterTerminal', terminalId, merchantId: this.merchantId, merchantAccountId: this.merchantAccountId, at }, this.metadata);
  }

  /** Ten failed face attempts with liveness on: the terminal's face lockout starts. */
  async attackTerminal(terminalId: string, at: Date, attempts = 10): Promise<void> {
    for (let i = 0; i < attempts; i++) {
      const command: TerminalCommand = { type: 'RecordTerminalFaceAttemptFailed', checkoutId: `atk_${randomUUID()}`, reason: 'spoof', livenessEnabled: true, at: seconds(at, i) };
      await this.terminals.handle(terminalStreamId(terminalId), command, this.metadata);
    }
  }

  /** A registered customer with consent, an enrolled face and a funded wallet. Returns the wallet account id. */
  async enrolledCustomer(customerId: string, phoneE164: string, balanceMinor: bigint, at: Date): Promise<string> {
    const wallet = await this.ledger.open('customer_wallet', at);
    if (balanceMinor > 0n) await this.ledger.transfer(this.external, wallet, balanceMinor, 'single', at);
    const stream = customerStreamId(customerId);
    await this.customers.handle(stream, { type: 'RegisterCustomer', customerId, phoneE164, walletAccountId: wallet, at }, this.metadata);
    const consent: CustomerCommand = { type: 'GiveBiometricConsent', consentTextVersion: 'bio-1', consentTextSha256: 'a'.repeat(64), purpose: 'face payment', retentionTermDays: 365, at };
    await this.customers.handle(stream, consent, this.metadata);
    const duplicateCheck = { outcome: 'clear' as const, bestScore: null, closestCustomerId: null, comparedTemplates: 0, tooCloseThreshold: 0.6, duplicateThreshold: 0.8 };
    const enroll: CustomerCommand = { type: 'EnrollFace', templateRef: `tpl_${randomUUID()}`, quality: 0.9, modelVersion: 'arcface@1', liveness: 'live', duplicateCheck, at };
    await this.customers.handle(stream, enroll, this.metadata);
    return wallet;
  }

  async customerCommand(customerId: string, command: CustomerCommand): Promise<void> {
    await this.customers.handle(customerStreamId(customerId), command, this.metadata);
  }

  /** Start, live verdict, full phone number, a single 1:1 match: the checkout holds a credential. */
  async identified(terminalId: string, customerId: string, amountMinor: bigint, at: Date, checkoutId = randomUUID()): Promise<{ checkoutId: string; credentialId: string }> {
    await this.start(checkoutId, terminalId, amountMinor, at);
    await this.step(checkoutId, { type: 'RecordLivenessVerdict', verdict: 'live', score: 0.97, terminalRisk: NEW_TERMINAL, at: seconds(at, 1) });
    await this.step(checkoutId, { type: 'ProvidePhoneFactor', digits: 11, candidateCustomerIds: [customerId], at: seconds(at, 2) });
    const matched = [{ customerId, score: 0.91, faceLocked: false, pinRequired: false, hasPin: false, pinLocked: false, riskLocked: false }];
    const credentialId = `cred_${randomUUID()}`;
    await this.step(checkoutId, { type: 'RecordFaceMatch', bestScore: 0.91, matched, threshold: 0.5, fmr: 0.000001, modelVersion: 'arcface@1', faceErasedCustomerIds: [], credentialId, at: seconds(at, 3) });
    return { checkoutId, credentialId };
  }

  /** A whole face payment: identified, money held in the ledger, authorized, then captured, voided or left held. */
  async pay(
    terminalId: string,
    customerId: string,
    wallet: string,
    amountMinor: bigint,
    at: Date,
    end: 'capture' | 'void' | 'hold' = 'capture',
  ): Promise<PaidCheckout> {
    const { checkoutId, credentialId } = await this.identified(terminalId, customerId, amountMinor, at);
    const transferId = await this.ledger.transfer(wallet, this.merchantAccountId, amountMinor, 'pending', seconds(at, 4));
    await this.step(checkoutId, { type: 'AuthorizePayment', credentialId, terminalId, terminalSessionId: `ses_${terminalId}`, transferId, walletAccountId: wallet, customerRiskLocked: false, terminalQuarantined: false, reservation: 'reserved', at: seconds(at, 4) });
    if (end === 'hold') return { checkoutId, transferId, resolutionId: null };
    if (end === 'void') {
      const resolutionId = await this.ledger.void(transferId, seconds(at, 5));
      await this.step(checkoutId, { type: 'VoidPayment', reason: 'cancelled', at: seconds(at, 5) });
      return { checkoutId, transferId, resolutionId };
    }
    const resolutionId = await this.ledger.post(transferId, seconds(at, 5));
    await this.step(checkoutId, { type: 'CapturePayment', at: seconds(at, 5) });
    return { checkoutId, transferId, resolutionId };
  }

  /** A refund of a captured payment: reserved in the checkout, paid merchant → wallet, then recorded. */
  async refund(checkoutId: string, wallet: string, amountMinor: bigint, at: Date): Promise<string> {
    const refundId = `ref_${randomUUID()}`;
    const transferId = randomUUID();
    await this.step(checkoutId, { type: 'RequestRefund', refundId, transferId, amountMinor, at });
    await this.ledger.transfer(this.merchantAccountId, wallet, amountMinor, 'single', at, transferId);
    await this.step(checkoutId, { type: 'CompleteRefund', refundId, outcome: 'refunded', at });
    return transferId;
  }

  /** A presentation attack: the liveness verdict is spoof and the checkout is declined before any phone prompt. */
  async spoof(terminalId: string, at: Date, options: { checkoutId?: string; decidedAfterSeconds?: number } = {}): Promise<string> {
    const checkoutId = options.checkoutId ?? randomUUID();
    await this.start(checkoutId, terminalId, 500n, at);
    const verdict: CheckoutCommand = { type: 'RecordLivenessVerdict', verdict: 'spoof', score: 0.04, terminalRisk: NEW_TERMINAL, at: seconds(at, options.decidedAfterSeconds ?? 2) };
    await this.step(checkoutId, verdict);
    return checkoutId;
  }

  async start(checkoutId: string, terminalId: string, amountMinor: bigint, at: Date): Promise<void> {
    const command: CheckoutCommand = {
      type: 'StartCheckout',
      checkoutId,
      merchantId: this.merchantId,
      merchantAccountId: this.merchantAccountId,
      terminalId,
      terminalSessionId: `ses_${terminalId}`,
      amountMinor,
      currency: 'EUR',
      idempotencyKey: randomUUID(),
      method: 'face',
      terminalFaceLocked: false,
      terminalQuarantined: false,
      at,
    };
    await this.step(checkoutId, command);
  }

  async step(checkoutId: string, command: CheckoutCommand): Promise<CheckoutEvent[]> {
    return (await this.checkouts.handle(checkoutStreamId(checkoutId), command, this.metadata)).newEvents;
  }
}
