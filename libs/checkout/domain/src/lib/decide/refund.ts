import { DomainError } from '@smilepay/shared/domain';
import { assertAmountInRange, isLedgerId } from '@smilepay/ledger/domain';
import type { CompleteRefund, RequestRefund } from '../checkout.commands';
import type { CheckoutEvent } from '../checkout.events';
import { refundableMinor, type CheckoutState } from '../checkout.state';
import type { CheckoutPolicy } from '../policy/checkout-policy';
import { requireId, requireStarted, requireTime } from '../guards';

/**
 * Refunds are two steps: RefundRequested reserves the amount against captured − refunded (so two concurrent refunds
 * cannot both pass the bound: the second append loses the optimistic race and is decided again), then the ledger
 * transfer, then PaymentRefunded or RefundDeclined.
 */
export function decideRequestRefund(
  command: RequestRefund,
  state: CheckoutState,
  policy: CheckoutPolicy,
): CheckoutEvent[] {
  const checkout = requireStarted(state);
  requireId(command.refundId, 'refundId');
  if (!isLedgerId(command.transferId))
    throw new DomainError('transferId_invalid', 'transferId must be a lowercase uuid');
  if (typeof command.amountMinor !== 'bigint') throw new DomainError('amount_invalid', 'amountMinor must be a bigint');
  assertAmountInRange(command.amountMinor);
  const at = new Date(requireTime(command.at)).toISOString();
  const existing = checkout.refunds[command.refundId];
  if (existing !== undefined) {
    if (existing.amountMinor === command.amountMinor && existing.transferId === command.transferId) return [];
    throw new DomainError('refund_id_reused', 'this refund id was used for another refund', 'conflict');
  }
  const transferTaken =
    checkout.payment?.transferId === command.transferId ||
    Object.values(checkout.refunds).some((r) => r.transferId === command.transferId);
  if (transferTaken)
    throw new DomainError('transfer_id_reused', 'each refund needs its own ledger transfer id', 'conflict');
  if (checkout.status !== 'captured')
    throw new DomainError('payment_not_captured', 'only a captured payment can be refunded', 'precondition');
  if (Object.keys(checkout.refunds).length >= policy.maxRefunds) {
    throw new DomainError('too_many_refunds', `a checkout takes at most ${policy.maxRefunds} refunds`, 'precondition');
  }
  const refundable = refundableMinor(checkout);
  if (command.amountMinor > refundable) {
    throw new DomainError(
      'refund_exceeds_captured',
      'the refund exceeds what was captured and not yet refunded',
      'conflict',
      {
        refundableMinor: refundable.toString(),
      },
    );
  }
  return [
    {
      type: 'RefundRequested',
      data: {
        checkoutId: checkout.checkoutId,
        refundId: command.refundId,
        transferId: command.transferId,
        amountMinor: command.amountMinor.toString(),
        requestedAt: at,
      },
    },
  ];
}

export function decideCompleteRefund(command: CompleteRefund, state: CheckoutState): CheckoutEvent[] {
  const checkout = requireStarted(state);
  const at = new Date(requireTime(command.at)).toISOString();
  const refund = checkout.refunds[command.refundId];
  if (refund === undefined) throw new DomainError('refund_not_found', 'no such refund', 'not_found');
  const wanted = command.outcome === 'refunded' ? 'refunded' : 'declined';
  if (refund.status === wanted) return [];
  if (refund.status !== 'requested')
    throw new DomainError('refund_already_completed', `this refund was already ${refund.status}`, 'conflict');
  const { checkoutId } = checkout;
  if (command.outcome === 'refunded') {
    return [
      {
        type: 'PaymentRefunded',
        data: {
          checkoutId,
          refundId: command.refundId,
          transferId: refund.transferId,
          amountMinor: refund.amountMinor.toString(),
          refundedAt: at,
        },
      },
    ];
  }
  return [
    {
      type: 'RefundDeclined',
      data: { checkoutId, refundId: command.refundId, reason: 'merchant_insufficient_funds', declinedAt: at },
    },
  ];
}
