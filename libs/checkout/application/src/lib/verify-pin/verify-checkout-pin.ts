import { DomainError } from '@smilepay/shared/domain';
import { checkoutStreamId, nextStep, type CheckoutStep } from '@smilepay/checkout/domain';
import { metadataFor, type RequestContext } from '@smilepay/enrollment/application';
import { loadCheckout, type CheckoutDeps } from '../checkout-deps';

/** The PIN step: when the face alone is not enough (a look-alike enrolled, a shared phone) or for PIN checkouts. */
export async function verifyCheckoutPin(
  deps: CheckoutDeps,
  input: { checkoutId: string; pin: string; at: Date },
  context: RequestContext,
): Promise<CheckoutStep> {
  const checkout = await loadCheckout(deps, input.checkoutId);
  if (checkout.status !== 'awaiting_pin' || checkout.pin === null) {
    throw new DomainError(
      'unexpected_step',
      `no PIN is expected while the checkout is ${checkout.status}`,
      'precondition',
    );
  }
  const result = await deps.enrollment.verifyPin(
    {
      candidateCustomerIds: checkout.pin.candidateCustomerIds,
      pin: input.pin,
      checkoutId: input.checkoutId,
      at: input.at,
    },
    context,
  );
  const riskLocked =
    result.kind === 'verified' && (await deps.risk.customer(result.customerId)).status === 'restricted';
  const handled = await deps.checkouts.handle(
    checkoutStreamId(input.checkoutId),
    {
      type: 'RecordPinVerification',
      result,
      verifiedCustomerRiskLocked: riskLocked,
      credentialId: deps.newId(),
      at: input.at,
    },
    metadataFor(context),
  );
  return nextStep(handled.state) as CheckoutStep;
}
