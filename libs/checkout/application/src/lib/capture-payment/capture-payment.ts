import { DomainError } from '@smilepay/shared/domain';
import {
  checkoutStreamId,
  nextStep,
  type CheckoutStep,
  type CapturePayment,
  type VoidPayment,
} from '@smilepay/checkout/domain';
import { metadataFor, type RequestContext } from '@smilepay/enrollment/application';
import { loadCheckout, type CheckoutDeps } from '../checkout-deps';
import { postIdFor, voidIdFor } from '../derived-ids';

/**
 * Capture posts the pending transfer (fully, or partially releasing the rest). The decider is asked first, so a
 * refused capture moves no money; the ledger post is idempotent on its derived id, so a retry after a crash between
 * the post and the append completes the capture.
 */
export async function capturePayment(
  deps: CheckoutDeps,
  input: { checkoutId: string; amountMinor?: bigint; at: Date },
  context: RequestContext,
): Promise<CheckoutStep> {
  const checkout = await loadCheckout(deps, input.checkoutId);
  const command: CapturePayment = {
    type: 'CapturePayment',
    at: input.at,
    ...(input.amountMinor === undefined ? {} : { amountMinor: input.amountMinor }),
  };
  if (deps.decider.decide(command, checkout).length > 0 && checkout.payment !== null) {
    const pendingId = checkout.payment.transferId;
    try {
      await deps.ledger.postPending(
        {
          id: postIdFor(pendingId),
          pendingId,
          ...(input.amountMinor === undefined ? {} : { amount: input.amountMinor }),
        },
        context,
      );
    } catch (error) {
      if (
        error instanceof DomainError &&
        (error.code === 'pending_transfer_expired' || error.code === 'pending_transfer_already_expired')
      ) {
        throw new DomainError('authorization_expired', 'the hold expired before capture', 'precondition');
      }
      throw error;
    }
  }
  const result = await deps.checkouts.handle(checkoutStreamId(input.checkoutId), command, metadataFor(context));
  return nextStep(result.state) as CheckoutStep;
}

/** Void releases the hold. A hold the ledger already released (voided or expired) is still recorded as voided. */
export async function voidPayment(
  deps: CheckoutDeps,
  input: { checkoutId: string; reason: VoidPayment['reason']; at: Date },
  context: RequestContext,
): Promise<CheckoutStep> {
  const checkout = await loadCheckout(deps, input.checkoutId);
  const command: VoidPayment = { type: 'VoidPayment', reason: input.reason, at: input.at };
  if (deps.decider.decide(command, checkout).length > 0 && checkout.payment !== null) {
    const pendingId = checkout.payment.transferId;
    try {
      await deps.ledger.voidPending({ id: voidIdFor(pendingId), pendingId }, context);
    } catch (error) {
      const released =
        error instanceof DomainError &&
        ['pending_transfer_already_voided', 'pending_transfer_already_expired'].includes(error.code);
      if (!released) throw error;
    }
  }
  const result = await deps.checkouts.handle(checkoutStreamId(input.checkoutId), command, metadataFor(context));
  return nextStep(result.state) as CheckoutStep;
}
