import type { CurrencyCode } from '@smilepay/ledger/domain';
import type { ClaimEvidence } from './claim.evidence';

/**
 * Events of stream `claim-<claimId>`: one loss claim from filing to its decision. JSON-safe: money is a decimal string
 * of minor units, times are ISO-8601. Actors (filedBy, analyst, approvedBy) are dashboard usernames.
 */
export interface LossClaimFiled {
  type: 'LossClaimFiled';
  data: {
    claimId: string;
    customerId: string;
    /** Payment ids are checkout ids: one checkout is one payment attempt. */
    paymentIds: string[];
    claimedMinor: string;
    currency: CurrencyCode;
    reason: string;
    filedBy: string;
    filedAt: string;
  };
}

export interface ClaimAssigned {
  type: 'ClaimAssigned';
  data: { claimId: string; analyst: string; assignedAt: string };
}

/** The evidence pack, assembled from the payment and customer streams and frozen here as it was seen. */
export interface EvidenceAttached {
  type: 'EvidenceAttached';
  data: ClaimEvidence & { attachedAt: string };
}

export interface ClaimApproved {
  type: 'ClaimApproved';
  data: {
    claimId: string;
    customerId: string;
    amountMinor: string;
    currency: CurrencyCode;
    approvedBy: string;
    /** The ledger transfer that will carry the reimbursement, derived from the claim id so retries reuse it. */
    transferId: string;
    approvedAt: string;
  };
}

export interface ClaimReimbursed {
  type: 'ClaimReimbursed';
  data: {
    claimId: string;
    customerId: string;
    transferId: string;
    amountMinor: string;
    currency: CurrencyCode;
    reserveAccountId: string;
    walletAccountId: string;
    reimbursedAt: string;
  };
}

export interface ClaimRejected {
  type: 'ClaimRejected';
  data: { claimId: string; reason: string; rejectedBy: string; rejectedAt: string };
}

/**
 * The customer's face payment is off until they enrol a face again: the enrolled template was abused, so it is
 * erased (the enrollment service destroys its key) and only a fresh enrolment, with a fresh duplicate check, restores it.
 */
export interface ClaimFacePaymentLocked {
  type: 'ClaimFacePaymentLocked';
  data: { claimId: string; customerId: string; until: 're_enrollment'; lockedAt: string };
}

export type ClaimEvent =
  | LossClaimFiled
  | ClaimAssigned
  | EvidenceAttached
  | ClaimApproved
  | ClaimReimbursed
  | ClaimRejected
  | ClaimFacePaymentLocked;

export const CLAIM_EVENT_TYPES: readonly ClaimEvent['type'][] = [
  'LossClaimFiled',
  'ClaimAssigned',
  'EvidenceAttached',
  'ClaimApproved',
  'ClaimReimbursed',
  'ClaimRejected',
  'ClaimFacePaymentLocked',
];
