import { claimStreamId, type Claim } from '@smilepay/claims/domain';
import { customerPaymentProfile, customerStreamId } from '@smilepay/enrollment/domain';
import { DomainError } from '@smilepay/shared/domain';
import type { ClaimsDeps } from '../streams/claims-deps';
import { metadataFor, type ClaimsRequestContext } from '../streams/context';
import { lossReserveAccountId } from '../streams/derived-ids';

/**
 * Completes an approved claim: reimburses the customer's wallet from the loss reserve (one transfer, the id named at
 * approval, so a retry is the ledger's idempotent replay) and locks face payment until re-enrolment. The two do not
 * wait for each other: an empty reserve must not leave an abused face usable. The first failure is rethrown after
 * both were tried.
 */
export async function settleClaim(
  deps: ClaimsDeps,
  input: { claimId: string; at: Date },
  context: ClaimsRequestContext,
): Promise<Claim> {
  const streamId = claimStreamId(input.claimId);
  const failures: unknown[] = [];
  const steps = [reimburse, lockFacePayment];
  for (const step of steps) {
    try {
      await step(deps, streamId, input.at, context);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
  const { state } = await deps.claims.load(streamId);
  if (state.status === 'none')
    throw new DomainError('claim_not_found', 'no such claim', 'not_found', { claimId: input.claimId });
  return state;
}

async function reimburse(deps: ClaimsDeps, streamId: string, at: Date, context: ClaimsRequestContext): Promise<void> {
  const { state } = await deps.claims.load(streamId);
  if (state.status !== 'approved') return;
  const customer = customerPaymentProfile((await deps.customers.load(customerStreamId(state.customerId))).state, at);
  if (customer === null)
    throw new DomainError('customer_not_found', 'the claim names an unknown customer', 'not_found');
  const wallet = await deps.ledger.getAccountView(customer.walletAccountId);
  const reserveAccountId = lossReserveAccountId(state.currency);
  const transfer = {
    id: state.approval.transferId,
    debitAccountId: reserveAccountId,
    creditAccountId: customer.walletAccountId,
    amount: state.approval.amountMinor,
    currency: state.currency,
    ledger: wallet.account.ledger,
    code: deps.codes.reimbursement,
    kind: 'single' as const,
  };
  await deps.ledger.createTransfers({ transfers: [transfer] }, context);
  await deps.claims.handle(
    streamId,
    {
      type: 'RecordReimbursement',
      transferId: transfer.id,
      reserveAccountId,
      walletAccountId: customer.walletAccountId,
      at,
    },
    metadataFor(context),
  );
}

async function lockFacePayment(
  deps: ClaimsDeps,
  streamId: string,
  at: Date,
  context: ClaimsRequestContext,
): Promise<void> {
  const { state } = await deps.claims.load(streamId);
  if ((state.status !== 'approved' && state.status !== 'reimbursed') || state.faceLocked) return;
  await deps.faceLock.lockUntilReenrolled({ customerId: state.customerId, at }, context);
  await deps.claims.handle(streamId, { type: 'RecordFacePaymentLock', at }, metadataFor(context));
}
