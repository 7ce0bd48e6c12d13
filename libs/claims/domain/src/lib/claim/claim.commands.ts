import type { CurrencyCode } from '@smilepay/ledger/domain';
import type { ClaimEvidence } from './claim.evidence';

/** Times, ids and amounts arrive in commands (STYLE.md §3); amounts are bigint minor units. */
export interface FileLossClaim {
  type: 'FileLossClaim';
  claimId: string;
  customerId: string;
  paymentIds: string[];
  claimedMinor: bigint;
  currency: CurrencyCode;
  reason: string;
  filedBy: string;
  /** What the named payments moved and may be claimed, resolved by the application from their streams. */
  claimableMinor: bigint;
  at: Date;
}

export interface AssignClaim {
  type: 'AssignClaim';
  analyst: string;
  at: Date;
}

export interface AttachEvidence {
  type: 'AttachEvidence';
  evidence: ClaimEvidence;
  at: Date;
}

export interface ApproveClaim {
  type: 'ApproveClaim';
  amountMinor: bigint;
  approvedBy: string;
  transferId: string;
  at: Date;
}

export interface RecordReimbursement {
  type: 'RecordReimbursement';
  transferId: string;
  reserveAccountId: string;
  walletAccountId: string;
  at: Date;
}

export interface RejectClaim {
  type: 'RejectClaim';
  reason: string;
  rejectedBy: string;
  at: Date;
}

export interface RecordFacePaymentLock {
  type: 'RecordFacePaymentLock';
  at: Date;
}

export type ClaimCommand =
  | FileLossClaim
  | AssignClaim
  | AttachEvidence
  | ApproveClaim
  | RecordReimbursement
  | RejectClaim
  | RecordFacePaymentLock;
