import { claimStreamId, type Claim, type ClaimCommand } from '@smilepay/claims/domain';
import { DomainError } from '@smilepay/shared/domain';
import { assembleEvidence } from '../evidence/assemble-evidence';
import { settleClaim } from '../settle-claim/settle-claim';
import type { ClaimsDeps } from '../streams/claims-deps';
import { metadataFor, type ClaimsRequestContext } from '../streams/context';
import { reimbursementTransferIdFor } from '../streams/derived-ids';

async function handle(
  deps: ClaimsDeps,
  claimId: string,
  command: ClaimCommand,
  context: ClaimsRequestContext,
): Promise<Claim> {
  const result = await deps.claims.handle(claimStreamId(claimId), command, metadataFor(context));
  if (result.state.status === 'none')
    throw new DomainError('claim_not_found', 'no such claim', 'not_found', { claimId });
  return result.state;
}

/** Freezes the evidence pack into the claim once, before anyone decides on it. */
async function ensureEvidence(deps: ClaimsDeps, claim: Claim, at: Date, context: ClaimsRequestContext): Promise<Claim> {
  if (claim.evidenceAttached || claim.status !== 'assigned') return claim;
  const evidence = await assembleEvidence(deps.store, claim, at);
  return handle(deps, claim.claimId, { type: 'AttachEvidence', evidence, at }, context);
}

/** Assigns the claim to the analyst who takes it, then attaches the evidence they will decide on. */
export async function assignClaim(
  deps: ClaimsDeps,
  input: { claimId: string; analyst: string; at: Date },
  context: ClaimsRequestContext,
): Promise<Claim> {
  const claim = await handle(
    deps,
    input.claimId,
    { type: 'AssignClaim', analyst: input.analyst, at: input.at },
    context,
  );
  return ensureEvidence(deps, claim, input.at, context);
}

/**
 * Approves, then settles: the reimbursement from the loss reserve and the face-payment lock. Settling is idempotent
 * and also run by the settlement subscriber, so a crash between the approval and the money never loses either.
 */
export async function approveClaim(
  deps: ClaimsDeps,
  input: { claimId: string; amountMinor: bigint; approvedBy: string; at: Date },
  context: ClaimsRequestContext,
): Promise<Claim> {
  const { state } = await deps.claims.load(claimStreamId(input.claimId));
  if (state.status === 'none')
    throw new DomainError('claim_not_found', 'no such claim', 'not_found', { claimId: input.claimId });
  await ensureEvidence(deps, state, input.at, context);
  const transferId = reimbursementTransferIdFor(input.claimId);
  await handle(
    deps,
    input.claimId,
    { type: 'ApproveClaim', amountMinor: input.amountMinor, approvedBy: input.approvedBy, transferId, at: input.at },
    context,
  );
  return settleClaim(deps, { claimId: input.claimId, at: input.at }, context);
}

export async function rejectClaim(
  deps: ClaimsDeps,
  input: { claimId: string; reason: string; rejectedBy: string; at: Date },
  context: ClaimsRequestContext,
): Promise<Claim> {
  return handle(
    deps,
    input.claimId,
    { type: 'RejectClaim', reason: input.reason, rejectedBy: input.rejectedBy, at: input.at },
    context,
  );
}
