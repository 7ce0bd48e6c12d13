/** Verification error rates (ISO/IEC 19795-1 vocabulary) from genuine and impostor comparison scores. */
export interface DetRow {
  readonly threshold: number;
  /** False match rate: impostor comparisons scoring >= threshold. */
  readonly fmr: number;
  /** False non-match rate: genuine comparisons scoring < threshold. */
  readonly fnmr: number;
  readonly falseMatches: number;
  readonly falseNonMatches: number;
}

export function detTable(genuine: readonly number[], impostor: readonly number[], thresholds: readonly number[]): DetRow[] {
  if (genuine.length === 0 || impostor.length === 0) throw new RangeError('need at least one genuine and one impostor score');
  return thresholds.map((threshold) => {
    const falseMatches = impostor.filter((s) => s >= threshold).length;
    const falseNonMatches = genuine.filter((s) => s < threshold).length;
    return { threshold, fmr: falseMatches / impostor.length, fnmr: falseNonMatches / genuine.length, falseMatches, falseNonMatches };
  });
}

/** Equal error rate by scanning every observed score as a threshold; returns the threshold too. */
export function equalErrorRate(genuine: readonly number[], impostor: readonly number[]): { eer: number; threshold: number } {
  const candidates = [...new Set([...genuine, ...impostor])].sort((a, b) => a - b);
  let best = { eer: 1, threshold: Number.NaN, gap: Number.POSITIVE_INFINITY };
  for (const row of detTable(genuine, impostor, candidates)) {
    const gap = Math.abs(row.fmr - row.fnmr);
    if (gap < best.gap) best = { eer: (row.fmr + row.fnmr) / 2, threshold: row.threshold, gap };
  }
  return { eer: best.eer, threshold: best.threshold };
}

export interface ScoreSummary {
  readonly count: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function summarize(scores: readonly number[]): ScoreSummary {
  const sorted = [...scores].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    median: sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Outcome counts of presentations of one kind, for APCER (attacks) or BPCER (bona fide). */
export interface PresentationTally {
  readonly presentations: number;
  readonly live: number;
  readonly spoof: number;
  readonly inconclusive: number;
}

export function tally(verdicts: readonly ('live' | 'spoof' | 'inconclusive')[]): PresentationTally {
  return {
    presentations: verdicts.length,
    live: verdicts.filter((v) => v === 'live').length,
    spoof: verdicts.filter((v) => v === 'spoof').length,
    inconclusive: verdicts.filter((v) => v === 'inconclusive').length,
  };
}
