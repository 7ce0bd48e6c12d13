import { randomUUID } from 'node:crypto';
import {
  checkoutStreamId,
  nextStep,
  type CheckoutState,
  type CheckoutStep,
  type VoidPayment,
  type CancelCheckout,
} from '@smilepay/checkout/domain';
import { silentLogger, type RequestContext } from '@smilepay/enrollment/application';
import { checkoutDeps, type CheckoutDeps, type CheckoutDepsInput } from './checkout-deps';
import { startCheckout, type StartCheckoutInput, type StartCheckoutResult } from './start-checkout/start-checkout';
import { recordLiveness, type RecordLivenessInput } from './record-liveness/record-liveness';
import { submitPhoneFactor, type SubmitPhoneFactorInput } from './identify-customer/identify-customer';
import { verifyCheckoutPin } from './verify-pin/verify-checkout-pin';
import {
  authorizePayment,
  type AuthorizePaymentInput,
  type AuthorizeResult,
} from './authorize-payment/authorize-payment';
import { capturePayment, voidPayment } from './capture-payment/capture-payment';
import { refundPayment, type RefundPaymentInput, type RefundResult } from './refund-payment/refund-payment';
import { cancelCheckout } from './cancel-checkout/cancel-checkout';

/**
 * Checkout's application service, framework-free: each method is one step of a checkout and returns what the
 * terminal should do next. Refusals are DomainErrors; business failures are PaymentDeclined events, returned as a
 * `declined` step.
 */
export class CheckoutService {
  readonly deps: CheckoutDeps;

  constructor(input: Omit<CheckoutDepsInput, 'newId'> & { newId?: () => string }) {
    this.deps = checkoutDeps({ ...input, newId: input.newId ?? randomUUID }, silentLogger);
  }

  start(input: StartCheckoutInput, context: RequestContext): Promise<StartCheckoutResult> {
    return startCheckout(this.deps, input, context);
  }

  recordLiveness(input: RecordLivenessInput, context: RequestContext): Promise<CheckoutStep> {
    return recordLiveness(this.deps, input, context);
  }

  submitPhoneFactor(input: SubmitPhoneFactorInput, context: RequestContext): Promise<CheckoutStep> {
    return submitPhoneFactor(this.deps, input, context);
  }

  verifyPin(input: { checkoutId: string; pin: string; at: Date }, context: RequestContext): Promise<CheckoutStep> {
    return verifyCheckoutPin(this.deps, input, context);
  }

  authorize(input: AuthorizePaymentInput, context: RequestContext): Promise<AuthorizeResult> {
    return authorizePayment(this.deps, input, context);
  }

  capture(
    input: { checkoutId: string; amountMinor?: bigint; at: Date },
    context: RequestContext,
  ): Promise<CheckoutStep> {
    return capturePayment(this.deps, input, context);
  }

  void(
    input: { checkoutId: string; reason: VoidPayment['reason']; at: Date },
    context: RequestContext,
  ): Promise<CheckoutStep> {
    return voidPayment(this.deps, input, context);
  }

  refund(input: RefundPaymentInput, context: RequestContext): Promise<RefundResult> {
    return refundPayment(this.deps, input, context);
  }

  cancel(
    input: { checkoutId: string; reason: CancelCheckout['reason']; at: Date },
    context: RequestContext,
  ): Promise<CheckoutStep> {
    return cancelCheckout(this.deps, input, context);
  }

  async get(checkoutId: string): Promise<{ state: CheckoutState; step: CheckoutStep | null }> {
    const { state } = await this.deps.checkouts.load(checkoutStreamId(checkoutId));
    return { state, step: nextStep(state) };
  }
}
