import { checkoutStreamId, nextStep, type CancelCheckout, type CheckoutStep } from '@smilepay/checkout/domain';
import { metadataFor, type RequestContext } from '@smilepay/enrollment/application';
import type { CheckoutDeps } from '../checkout-deps';

/** Ends a checkout that never got to a payment (the customer walked away, the session timed out). */
export async function cancelCheckout(
  deps: CheckoutDeps,
  input: { checkoutId: string; reason: CancelCheckout['reason']; at: Date },
  context: RequestContext,
): Promise<CheckoutStep> {
  const result = await deps.checkouts.handle(
    checkoutStreamId(input.checkoutId),
    { type: 'CancelCheckout', reason: input.reason, at: input.at },
    metadataFor(context),
  );
  return nextStep(result.state) as CheckoutStep;
}
