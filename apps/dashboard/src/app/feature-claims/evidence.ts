import type { EvidencePayment } from '../data-access/api/pending-contracts';

/** A match this close above the threshold is what the "borderline match" risk rule looks for. */
export const BORDERLINE_MARGIN = 0.03;

/** Frame digests listed per payment; a pack can name hundreds. */
export const MAX_DIGESTS_SHOWN = 8;

export type MatchReading = 'no-score' | 'below' | 'borderline' | 'clear';

export interface MatchView {
  reading: MatchReading;
  /** score − threshold, or null when either is missing. */
  margin: number | null;
}

export function readMatch(payment: Pick<EvidencePayment, 'matchScore' | 'matchThreshold'>): MatchView {
  const { matchScore, matchThreshold } = payment;
  if (matchScore === null) return { reading: 'no-score', margin: null };
  if (matchThreshold === null) return { reading: 'clear', margin: null };
  const margin = matchScore - matchThreshold;
  if (margin < 0) return { reading: 'below', margin };
  return { reading: margin < BORDERLINE_MARGIN ? 'borderline' : 'clear', margin };
}

/** A score in [0, 1] as a bar width; anything out of range is pinned to the ends. */
export function percentOf(score: number): number {
  if (!Number.isFinite(score)) return 0;
  return Math.round(Math.min(1, Math.max(0, score)) * 1000) / 10;
}
