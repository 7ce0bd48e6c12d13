import type { PaymentFeedItem, PaymentStatus } from '@smilepay/shared/contracts';

// Moved to @smilepay/shared/contracts; re-exported so the features importing them from here keep working.
export type {
  CustomerBalanceView,
  CustomerStatus,
  CustomerSummaryView,
  TerminalStatus,
  TerminalView,
} from '@smilepay/shared/contracts';

/*
 * Wire types the dashboard needs that @smilepay/shared/contracts does not define yet. They are the shapes this
 * app asks the api for; once the contracts lib carries them, these become re-exports from it.
 * Like every dashboard type, none of them carries biometric data.
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
