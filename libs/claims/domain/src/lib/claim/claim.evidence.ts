/**
 * The evidence pack as the claim stream records it. The same shape as the `ClaimEvidencePack` wire type of
 * @smilepay/shared/contracts, declared here because a domain lib imports no contracts.
 */
export type EvidenceLivenessVerdict = 'live' | 'spoof' | 'inconclusive' | null;
export type EvidencePaymentStatus =
  'started' | 'authorized' | 'captured' | 'voided' | 'declined' | 'refunded' | 'cancelled';

export interface EvidencePaymentFacts {
  paymentId: string;
  amountMinor: string;
  currency: string;
  status: EvidencePaymentStatus;
  merchantId: string;
  terminalId: string;
  occurredAt: string;
  livenessVerdict: EvidenceLivenessVerdict;
  livenessScores: { check: string; score: number }[];
  matchScore: number | null;
  matchThreshold: number | null;
  frameDigests: string[];
}

export interface RecentPaymentFacts {
  paymentId: string;
  checkoutId: string;
  merchantId: string;
  terminalId: string;
  customerId: string | null;
  amountMinor: string;
  currency: string;
  status: EvidencePaymentStatus;
  method: 'face' | 'phone_pin';
  declineReason: string | null;
  livenessVerdict: EvidenceLivenessVerdict;
  attackSpecies: string | null;
  livenessScore: number | null;
  matchScore: number | null;
  decisionLatencyMs: number | null;
  updatedAt: string;
}

export interface ClaimEvidence {
  claimId: string;
  customerId: string;
  assembledAt: string;
  payments: EvidencePaymentFacts[];
  /** Newest first. */
  recentActivity: RecentPaymentFacts[];
}

/** Bounds on one pack, so an event stays small whatever the payments recorded. */
export const MAX_RECENT_ACTIVITY = 20;
export const MAX_FRAME_DIGESTS_PER_PAYMENT = 64;
export const MAX_LIVENESS_SCORES_PER_PAYMENT = 16;
