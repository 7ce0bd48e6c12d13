import type { PaymentFeedItem, PaymentStatus } from './dashboard';

/*
 * Wire types of loss claims shared by the api and the dashboard. Money is a decimal string of minor units, times are
 * ISO-8601. Like every dashboard type, none of these carries biometric data: frame digests are SHA-256 hex strings
 * of frames that were never kept.
 */

/** One payment named in a claim, with the facts the decision rests on. */
export interface EvidencePayment {
  paymentId: string;
  amountMinor: string;
  currency: string;
  status: PaymentStatus;
  merchantId: string;
  terminalId: string;
  occurredAt: string;
  livenessVerdict: 'live' | 'spoof' | 'inconclusive' | null;
  /** Each liveness check's score in [0, 1], e.g. { check: 'passive', score: 0.97 }. */
  livenessScores: { check: string; score: number }[];
  matchScore: number | null;
  matchThreshold: number | null;
  /** SHA-256 hex digests of the frames the verdict was made on; the frames themselves are never kept. */
  frameDigests: string[];
  /** The presentation-attack species the gateway suspected (absent in packs recorded before it was kept). */
  attackSpecies?: string | null;
  /** How many frames the gateway digested; `frameDigests` shows at most 64 of them. */
  frameDigestsTotal?: number;
  /** The model behind each liveness signal and the embedding, e.g. { liveness: 'minifas@2' }. */
  modelVersions?: Record<string, string>;
  /** The embedding model the face match used. */
  matchModelVersion?: string | null;
}

/** GET /v1/claims/:claimId/evidence → the pack assembled from events. */
export interface ClaimEvidencePack {
  claimId: string;
  customerId: string;
  assembledAt: string;
  payments: EvidencePayment[];
  /** The customer's recent payments around the claim, newest first. */
  recentActivity: PaymentFeedItem[];
}

/** POST /v1/claims: an analyst or admin files a claim on behalf of a customer. */
export interface FileClaimRequest {
  customerId: string;
  paymentIds: string[];
  claimedMinor: string;
  currency: string;
  reason: string;
}

/** POST /v1/claims/:claimId/approve: the reimbursement, at most the claimed amount. */
export interface ApproveClaimRequest {
  amountMinor: string;
}

/** POST /v1/claims/:claimId/reject */
export interface RejectClaimRequest {
  reason: string;
}
