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
  /*
   * Added later (STYLE.md §4: optional fields first): packs attached before them load without them, and so do packs
   * of payments whose LivenessVerdictRecorded carried only the fused score.
   */
  /** The presentation-attack species the gateway suspected, null when none. */
  attackSpecies?: string | null;
  /** How many frame digests the gateway reported; `frameDigests` holds at most MAX_FRAME_DIGESTS_PER_PAYMENT. */
  frameDigestsTotal?: number;
  /** The model behind each liveness signal and the embedding, as the gateway named them. */
  modelVersions?: Record<string, string>;
  /** The embedding model the face match compared templates with. */
  matchModelVersion?: string | null;
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
export const MAX_MODEL_VERSIONS_PER_PAYMENT = 16;
