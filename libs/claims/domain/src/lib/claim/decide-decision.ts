import { DomainError } from '@smilepay/shared/domain';
import { requireId, requireText, requireTime } from '../guards';
import type { ApproveClaim, RecordFacePaymentLock, RecordReimbursement, RejectClaim } from './claim.commands';
import type { ClaimEvent } from './claim.events';
import { MAX_ACTOR_LENGTH, MAX_REASON_LENGTH } from './claim.limits';
import type { Claim } from './claim.state';
import type { ClaimState } from './claim.state';
import { requireClaim, requireUndecided } from './decide-filing';

/** Only the claim's assignee decides it: the dashboard's "take over" assigns it to whoever decides. */
function requireAssignee(claim: Claim, actor: string): void {
  if (claim.status === 'filed')
    throw new DomainError('claim_not_assigned', 'assign the claim before deciding it', 'precondition');
  if (claim.assignee !== actor) {
    throw new DomainError('not_assignee', 'only the assignee decides this claim', 'forbidden', {
      assignee: claim.assignee,
    });
  }
}

/**
 * Approval never exceeds the claim: the reimbursement is at most the claimed amount, which itself was bounded by
 * what the payments moved. Approving again with the same amount is a retry.
 */
export function decideApproveClaim(command: ApproveClaim, state: ClaimState): ClaimEvent[] {
  const claim = requireClaim(state);
  requireText(command.approvedBy, 'approvedBy', MAX_ACTOR_LENGTH);
  requireId(command.transferId, 'transferId');
  const approvedAt = requireTime(command.at);
  if (claim.status === 'approved' || claim.status === 'reimbursed') {
    if (claim.approval.amountMinor === command.amountMinor && claim.approval.transferId === command.transferId)
      return [];
  }
  requireUndecided(claim);
  requireAssignee(claim, command.approvedBy);
  if (!claim.evidenceAttached)
    throw new DomainError('evidence_missing', 'attach the evidence before deciding', 'precondition');
  if (command.amountMinor <= 0n)
    throw new DomainError('amountMinor_invalid', 'the reimbursement must be positive', 'invalid');
  if (command.amountMinor > claim.claimedMinor) {
    throw new DomainError(
      'reimbursement_exceeds_claim',
      'the reimbursement cannot exceed the claimed amount',
      'invalid',
      {
        claimedMinor: claim.claimedMinor.toString(),
      },
    );
  }
  const { claimId, customerId, currency } = claim;
  return [
    {
      type: 'ClaimApproved',
      data: {
        claimId,
        customerId,
        amountMinor: command.amountMinor.toString(),
        currency,
        approvedBy: command.approvedBy,
        transferId: command.transferId,
        approvedAt,
      },
    },
  ];
}

export function decideRecordReimbursement(command: RecordReimbursement, state: ClaimState): ClaimEvent[] {
  const claim = requireClaim(state);
  const reimbursedAt = requireTime(command.at);
  if (claim.status === 'reimbursed') return [];
  if (claim.status !== 'approved')
    throw new DomainError('claim_not_approved', 'only an approved claim is reimbursed', 'precondition');
  if (claim.approval.transferId !== command.transferId) {
    throw new DomainError('transfer_mismatch', 'the reimbursement must use the transfer named at approval', 'invalid');
  }
  requireId(command.reserveAccountId, 'reserveAccountId');
  requireId(command.walletAccountId, 'walletAccountId');
  const { claimId, customerId, currency } = claim;
  return [
    {
      type: 'ClaimReimbursed',
      data: {
        claimId,
        customerId,
        transferId: command.transferId,
        amountMinor: claim.approval.amountMinor.toString(),
        currency,
        reserveAccountId: command.reserveAccountId,
        walletAccountId: command.walletAccountId,
        reimbursedAt,
      },
    },
  ];
}

export function decideRejectClaim(command: RejectClaim, state: ClaimState): ClaimEvent[] {
  const claim = requireClaim(state);
  requireText(command.reason, 'reason', MAX_REASON_LENGTH);
  requireText(command.rejectedBy, 'rejectedBy', MAX_ACTOR_LENGTH);
  const rejectedAt = requireTime(command.at);
  if (claim.status === 'rejected' && claim.rejection.reason === command.reason) return [];
  requireUndecided(claim);
  requireAssignee(claim, command.rejectedBy);
  return [
    {
      type: 'ClaimRejected',
      data: { claimId: claim.claimId, reason: command.reason, rejectedBy: command.rejectedBy, rejectedAt },
    },
  ];
}

/** Recorded once the enrollment service has erased the abused template; only approved claims lock. */
export function decideRecordFacePaymentLock(command: RecordFacePaymentLock, state: ClaimState): ClaimEvent[] {
  const claim = requireClaim(state);
  const lockedAt = requireTime(command.at);
  if (claim.faceLocked) return [];
  if (claim.status !== 'approved' && claim.status !== 'reimbursed') {
    throw new DomainError('claim_not_approved', 'only an approved claim locks face payment', 'precondition');
  }
  return [
    {
      type: 'ClaimFacePaymentLocked',
      data: { claimId: claim.claimId, customerId: claim.customerId, until: 're_enrollment', lockedAt },
    },
  ];
}
