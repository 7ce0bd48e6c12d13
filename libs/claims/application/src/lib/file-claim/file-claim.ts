import {
  claimDecider,
  claimedPaymentStreamId,
  claimStreamId,
  type Claim,
  type FileLossClaim,
} from '@smilepay/claims/domain';
import { customerPaymentProfile, customerStreamId } from '@smilepay/enrollment/domain';
import type { CurrencyCode } from '@smilepay/ledger/domain';
import { DomainError } from '@smilepay/shared/domain';
import { claimableMinorOf, readPaymentFacts } from '../payments/payment-facts';
import type { ClaimsDeps } from '../streams/claims-deps';
import { metadataFor, type ClaimsRequestContext } from '../streams/context';

export interface FileClaimInput {
  claimId: string;
  customerId: string;
  paymentIds: string[];
  claimedMinor: bigint;
  currency: CurrencyCode;
  reason: string;
  filedBy: string;
  at: Date;
}

/**
 * Files a claim: every named payment must be the customer's, in the claim's currency, and have moved money; the
 * claimed amount is bounded by what they moved. Each payment is then claimed in its own uniqueness stream before the
 * claim is written, so two claims racing for one payment cannot both be filed. If a later payment turns out to be
 * claimed already, the payments this call took are released again.
 */
export async function fileClaim(
  deps: ClaimsDeps,
  input: FileClaimInput,
  context: ClaimsRequestContext,
): Promise<Claim> {
  const customer = customerPaymentProfile(
    (await deps.customers.load(customerStreamId(input.customerId))).state,
    input.at,
  );
  if (customer === null)
    throw new DomainError('customer_not_found', 'no such customer', 'not_found', { customerId: input.customerId });
  const claimableMinor = await claimableOf(deps, input);
  const command: FileLossClaim = { type: 'FileLossClaim', ...input, claimableMinor };
  const streamId = claimStreamId(input.claimId);
  // Decide ahead so that bad input or a reused claim id takes no payment.
  claimDecider.decide(command, (await deps.claims.load(streamId)).state);
  await claimPayments(deps, input, context);
  const result = await deps.claims.handle(streamId, command, metadataFor(context));
  if (result.state.status === 'none') throw new Error(`claim ${input.claimId}: stream empty after filing`);
  return result.state;
}

async function claimableOf(deps: ClaimsDeps, input: FileClaimInput): Promise<bigint> {
  let total = 0n;
  for (const paymentId of input.paymentIds) {
    const facts = await readPaymentFacts(deps.store, paymentId);
    if (facts === null)
      throw new DomainError('payment_not_found', `no payment ${paymentId}`, 'not_found', { paymentId });
    const { checkout } = facts;
    if (checkout.payment?.customerId !== input.customerId) {
      throw new DomainError(
        'payment_not_customers',
        `payment ${paymentId} was not made from this customer's wallet`,
        'invalid',
        { paymentId },
      );
    }
    if (checkout.currency !== input.currency) {
      throw new DomainError('currency_mismatch', `payment ${paymentId} is in ${checkout.currency}`, 'invalid', {
        paymentId,
      });
    }
    const claimable = claimableMinorOf(checkout);
    if (claimable === 0n) {
      throw new DomainError(
        'payment_not_claimable',
        `payment ${paymentId} moved no money that could be claimed`,
        'precondition',
        { paymentId },
      );
    }
    total += claimable;
  }
  return total;
}

async function claimPayments(deps: ClaimsDeps, input: FileClaimInput, context: ClaimsRequestContext): Promise<void> {
  const metadata = metadataFor(context);
  try {
    for (const paymentId of input.paymentIds) {
      await deps.claimedPayments.handle(
        claimedPaymentStreamId(paymentId),
        { type: 'ClaimPayment', paymentId, claimId: input.claimId, at: input.at },
        metadata,
      );
    }
  } catch (error) {
    // Only a claim that was never filed gives its payments back (an earlier attempt may have taken some of them).
    const filed = (await deps.claims.load(claimStreamId(input.claimId))).state.status !== 'none';
    if (!filed) await releasePayments(deps, input, context);
    throw error;
  }
}

async function releasePayments(deps: ClaimsDeps, input: FileClaimInput, context: ClaimsRequestContext): Promise<void> {
  for (const paymentId of input.paymentIds) {
    await deps.claimedPayments.handle(
      claimedPaymentStreamId(paymentId),
      { type: 'ReleasePaymentClaim', paymentId, claimId: input.claimId, at: input.at },
      metadataFor(context),
    );
  }
}
