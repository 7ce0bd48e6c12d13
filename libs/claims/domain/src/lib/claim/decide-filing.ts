import { DomainError } from '@smilepay/shared/domain';
import { isCurrency } from '@smilepay/ledger/domain';
import { requireId, requireText, requireTime } from '../guards';
import type { AssignClaim, AttachEvidence, FileLossClaim } from './claim.commands';
import type { ClaimEvent } from './claim.events';
import {
  MAX_FRAME_DIGESTS_PER_PAYMENT,
  MAX_LIVENESS_SCORES_PER_PAYMENT,
  MAX_MODEL_VERSIONS_PER_PAYMENT,
  MAX_RECENT_ACTIVITY,
} from './claim.evidence';
import { MAX_ACTOR_LENGTH, MAX_PAYMENTS_PER_CLAIM, MAX_REASON_LENGTH } from './claim.limits';
import { isDecided, type Claim, type ClaimState } from './claim.state';

export function requireClaim(state: ClaimState): Claim {
  if (state.status === 'none') throw new DomainError('claim_not_found', 'no such claim', 'not_found');
  return state;
}

export function requireUndecided(claim: Claim): void {
  if (isDecided(claim)) {
    throw new DomainError('claim_decided', `the claim is already ${claim.status}`, 'conflict', {
      status: claim.status,
    });
  }
}

function validateFiling(command: FileLossClaim): void {
  requireId(command.claimId, 'claimId');
  requireId(command.customerId, 'customerId');
  requireText(command.reason, 'reason', MAX_REASON_LENGTH);
  requireText(command.filedBy, 'filedBy', MAX_ACTOR_LENGTH);
  if (!isCurrency(command.currency)) throw new DomainError('currency_invalid', 'unsupported currency', 'invalid');
  const ids = command.paymentIds;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_PAYMENTS_PER_CLAIM) {
    throw new DomainError('paymentIds_invalid', `a claim names 1 to ${MAX_PAYMENTS_PER_CLAIM} payments`, 'invalid');
  }
  ids.forEach((id) => requireId(id, 'paymentId'));
  if (new Set(ids).size !== ids.length)
    throw new DomainError('paymentIds_invalid', 'a payment is named twice', 'invalid');
  if (command.claimedMinor <= 0n)
    throw new DomainError('claimedMinor_invalid', 'the claimed amount must be positive', 'invalid');
  if (command.claimedMinor > command.claimableMinor) {
    throw new DomainError('claim_exceeds_payments', 'the claimed amount exceeds what the payments moved', 'invalid', {
      claimableMinor: command.claimableMinor.toString(),
    });
  }
}

const sameFiling = (claim: Claim, command: FileLossClaim): boolean =>
  claim.customerId === command.customerId &&
  claim.claimedMinor === command.claimedMinor &&
  claim.currency === command.currency &&
  claim.reason === command.reason &&
  claim.paymentIds.length === command.paymentIds.length &&
  claim.paymentIds.every((id, i) => id === command.paymentIds[i]);

/** Filing twice with the same facts is a retry; the same id with other facts is a reused id. */
export function decideFileLossClaim(command: FileLossClaim, state: ClaimState): ClaimEvent[] {
  validateFiling(command);
  const filedAt = requireTime(command.at);
  if (state.status !== 'none') {
    if (sameFiling(state, command)) return [];
    throw new DomainError('claim_id_reused', 'this claim id was used for another claim', 'conflict', {
      claimId: command.claimId,
    });
  }
  const { claimId, customerId, paymentIds, currency, reason, filedBy } = command;
  return [
    {
      type: 'LossClaimFiled',
      data: {
        claimId,
        customerId,
        paymentIds: [...paymentIds],
        claimedMinor: command.claimedMinor.toString(),
        currency,
        reason,
        filedBy,
        filedAt,
      },
    },
  ];
}

/** An undecided claim may be taken over by another analyst; assigning it to its assignee again changes nothing. */
export function decideAssignClaim(command: AssignClaim, state: ClaimState): ClaimEvent[] {
  const claim = requireClaim(state);
  requireText(command.analyst, 'analyst', MAX_ACTOR_LENGTH);
  const assignedAt = requireTime(command.at);
  requireUndecided(claim);
  if (claim.assignee === command.analyst) return [];
  return [{ type: 'ClaimAssigned', data: { claimId: claim.claimId, analyst: command.analyst, assignedAt } }];
}

/** The pack is frozen once attached: what the decision rested on must not change under it. */
export function decideAttachEvidence(command: AttachEvidence, state: ClaimState): ClaimEvent[] {
  const claim = requireClaim(state);
  const attachedAt = requireTime(command.at);
  if (claim.evidenceAttached) return [];
  requireUndecided(claim);
  const { evidence } = command;
  const named = new Set(claim.paymentIds);
  const covered = evidence.payments.map((p) => p.paymentId);
  const matches =
    evidence.claimId === claim.claimId &&
    evidence.customerId === claim.customerId &&
    covered.length === named.size &&
    covered.every((id) => named.has(id));
  if (!matches)
    throw new DomainError('evidence_mismatch', 'the evidence pack does not cover exactly this claim', 'invalid');
  const oversized =
    evidence.recentActivity.length > MAX_RECENT_ACTIVITY ||
    evidence.payments.some(
      (p) =>
        p.frameDigests.length > MAX_FRAME_DIGESTS_PER_PAYMENT ||
        p.livenessScores.length > MAX_LIVENESS_SCORES_PER_PAYMENT ||
        Object.keys(p.modelVersions ?? {}).length > MAX_MODEL_VERSIONS_PER_PAYMENT,
    );
  if (oversized) throw new DomainError('evidence_too_large', 'the evidence pack exceeds its bounds', 'invalid');
  return [{ type: 'EvidenceAttached', data: { ...evidence, attachedAt } }];
}
