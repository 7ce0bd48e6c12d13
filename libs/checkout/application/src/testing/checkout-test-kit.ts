import { randomUUID } from 'node:crypto';
import type { ReadModelDialect } from '@smilepay/shared/projections';
import type { CheckoutStep } from '@smilepay/checkout/domain';
import {
  noisyCopy,
  openEnrollmentTestKit,
  randomUnitVector,
  type EnrollmentTestKit,
} from '@smilepay/enrollment/application';
import type { EventStore } from '@smilepay/shared/eventstore';
import { CheckoutService } from '../lib/checkout.service';
import type { RiskStandingPort } from '../lib/checkout-deps';

/**
 * For tests of scopes that cannot see risk (checkout itself, claims): nothing is ever locked or quarantined. The
 * enforcement is tested with risk's real RiskStanding in libs/risk/application and apps/api.
 */
export const NO_RISK_RESTRICTIONS: RiskStandingPort = {
  customer: async () => ({ status: 'clear' }),
  terminal: async () => ({ status: 'clear' }),
};

export const MODEL = 'arcface-r100@1';
export const T0 = new Date('2025-06-01T12:00:00.000Z');
export const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

export interface EnrolledCustomer {
  customerId: string;
  phone: string;
  walletAccountId: string;
  face: Float32Array;
}

/**
 * Integration-test support: the enrollment kit (real store, vault, ledger, phone index) plus a CheckoutService, a
 * merchant with a terminal, and helpers that enrol and fund customers. Not for production use.
 */
export interface CheckoutTestKit extends EnrollmentTestKit {
  checkout: CheckoutService;
  merchantId: string;
  merchantAccountId: string;
  registerTerminal(terminalId: string, registeredAt: Date): Promise<void>;
  enrolledCustomer(
    phone: string,
    options?: { balanceMinor?: bigint; face?: Float32Array; pin?: string },
  ): Promise<EnrolledCustomer>;
  /** Starts a face checkout and records a live verdict; returns the checkout id and the phone prompt. */
  startFaceCheckout(options: {
    terminalId: string;
    amountMinor: bigint;
    at: Date;
    key?: string;
    livenessScore?: number;
  }): Promise<{ checkoutId: string; step: CheckoutStep }>;
  /** The same face seen again at the terminal. */
  genuineProbe(customer: EnrolledCustomer): { embedding: Float32Array; modelVersion: string };
  impostorProbe(): { embedding: Float32Array; modelVersion: string };
  walletBalances(
    walletAccountId: string,
  ): Promise<{ debitsPending: bigint; debitsPosted: bigint; creditsPosted: bigint }>;
}

export async function openCheckoutTestKit(
  dialect: ReadModelDialect,
  options: { risk?: (store: EventStore) => RiskStandingPort } = {},
): Promise<CheckoutTestKit> {
  const kit = await openEnrollmentTestKit(dialect);
  const checkout = new CheckoutService({
    store: kit.store,
    risk: options.risk?.(kit.store) ?? NO_RISK_RESTRICTIONS,
    enrollment: kit.enrollment,
    vault: kit.vault,
    phones: kit.phones,
    ledger: kit.ledger,
    matching: kit.matching,
  });
  const merchantId = 'mer_coffee';
  const merchantAccountId = await kit.openMerchant();
  return {
    ...kit,
    checkout,
    merchantId,
    merchantAccountId,
    async registerTerminal(terminalId, registeredAt) {
      await kit.enrollment.registerTerminal(
        { terminalId, merchantId, merchantAccountId, at: registeredAt },
        kit.context,
      );
    },
    async enrolledCustomer(phone, options = {}) {
      const customerId = `cus_${randomUUID()}`;
      const wallet = kit.newWallet();
      const face = options.face ?? randomUnitVector();
      await kit.enrollment.registerCustomer({ customerId, phone, wallet, at: at(-3600) }, kit.context);
      await kit.enrollment.giveBiometricConsent(
        {
          customerId,
          consentText: 'Face template for payments only.',
          consentTextVersion: 'bio-1',
          purpose: 'face payment',
          retentionTermDays: 1095,
          at: at(-3600),
        },
        kit.context,
      );
      await kit.enrollment.enrollFace(
        {
          customerId,
          templateRef: `tpl_${randomUUID()}`,
          embedding: face,
          quality: 0.9,
          modelVersion: MODEL,
          liveness: 'live',
          at: at(-3600),
        },
        kit.context,
      );
      if (options.pin !== undefined)
        await kit.enrollment.setPin({ customerId, pin: options.pin, at: at(-3600) }, kit.context);
      if ((options.balanceMinor ?? 0n) > 0n) await kit.fund(wallet.accountId, options.balanceMinor as bigint);
      await kit.settle();
      return { customerId, phone, walletAccountId: wallet.accountId, face };
    },
    async startFaceCheckout({ terminalId, amountMinor, at: when, key, livenessScore }) {
      const { checkoutId } = await checkout.start(
        {
          merchantId,
          terminalId,
          terminalSessionId: `ses_${terminalId}`,
          amountMinor,
          currency: 'EUR',
          idempotencyKey: key ?? randomUUID(),
          method: 'face',
          at: when,
        },
        kit.context,
      );
      const step = await checkout.recordLiveness(
        { checkoutId, verdict: 'live', score: livenessScore ?? 0.97, at: when },
        kit.context,
      );
      return { checkoutId, step };
    },
    genuineProbe: (customer) => ({ embedding: noisyCopy(customer.face, 0.3), modelVersion: MODEL }),
    impostorProbe: () => ({ embedding: randomUnitVector(), modelVersion: MODEL }),
    async walletBalances(walletAccountId) {
      const view = await kit.ledger.getAccountView(walletAccountId);
      const b = view.balances;
      if (b === undefined) throw new Error('a wallet is flagged, so its stream has its balances');
      return { debitsPending: b.debitsPending, debitsPosted: b.debitsPosted, creditsPosted: b.creditsPosted };
    },
  };
}
