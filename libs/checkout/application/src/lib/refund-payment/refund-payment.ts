import { DomainError } from '@smilepay/shared/domain';
import { checkoutStreamId, refundableMinor, refundedMinor, type Checkout } from '@smilepay/checkout/domain';
import { metadataFor, type RequestContext } from '@smilepay/enrollment/application';
import { loadCheckout, type CheckoutDeps } from '../checkout-deps';
import { refundTransferIdFor } from '../derived-ids';

export interface RefundPaymentInput {
  checkoutId: string;
  /** Client-chosen; the same id again is a retry of the same refund. */
  refundId: string;
  amountMinor: bigint;
  at: Date;
}

export interface RefundResult {
  refundId: string;
  status: 'refunded' | 'declined';
  refundedMinor: bigint;
  refundableMinor: bigint;
}

/**
 * A full or partial refund: reserve it against captured − refunded in the checkout stream (RefundRequested), move the
 * money merchant → wallet in the ledger, then record the result. Every step is idempotent on the refund id, so a retry
 * after a crash finishes the same refund and never pays twice.
 */
export async function refundPayment(
  deps: CheckoutDeps,
  input: RefundPaymentInput,
  context: RequestContext,
): Promise<RefundResult> {
  const streamId = checkoutStreamId(input.checkoutId);
  const transferId = refundTransferIdFor(input.checkoutId, input.refundId);
  const metadata = metadataFor(context);
  const requested = await deps.checkouts.handle(
    streamId,
    { type: 'RequestRefund', refundId: input.refundId, transferId, amountMinor: input.amountMinor, at: input.at },
    metadata,
  );
  const checkout = requested.state as Checkout;
  const refund = checkout.refunds[input.refundId];
  if (refund.status === 'requested') {
    const outcome = await transfer(deps, checkout, transferId, refund.amountMinor, context);
    await deps.checkouts.handle(
      streamId,
      { type: 'CompleteRefund', refundId: input.refundId, outcome, at: input.at },
      metadata,
    );
  }
  const final = await loadCheckout(deps, input.checkoutId);
  const status = final.refunds[input.refundId].status === 'refunded' ? 'refunded' : 'declined';
  return {
    refundId: input.refundId,
    status,
    refundedMinor: refundedMinor(final),
    refundableMinor: refundableMinor(final),
  };
}

async function transfer(
  deps: CheckoutDeps,
  checkout: Checkout,
  transferId: string,
  amount: bigint,
  context: RequestContext,
) {
  const payment = checkout.payment;
  if (payment === null) throw new DomainError('payment_not_captured', 'nothing to refund', 'precondition');
  const wallet = await deps.ledger.getAccountView(payment.walletAccountId);
  const refund = {
    id: transferId,
    debitAccountId: checkout.merchantAccountId,
    creditAccountId: payment.walletAccountId,
    amount,
    currency: checkout.currency,
    ledger: wallet.account.ledger,
    code: deps.codes.refund,
    kind: 'single' as const,
  };
  try {
    await deps.ledger.createTransfers({ transfers: [refund] }, context);
    return 'refunded' as const;
  } catch (error) {
    // Only a merchant account flagged to stay in credit can refuse a refund for lack of funds.
    if (error instanceof DomainError && error.code === 'exceeds_credits') return 'merchant_insufficient_funds' as const;
    throw error;
  }
}
