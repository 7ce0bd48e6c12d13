import { DepthLivenessResult, DepthClassification } from '../depth-liveness/depth-liveness';
import { SmileChallengeResult } from '../smile-challenge/smile-challenge';
import { LivenessThresholds, DEFAULT_LIVENESS_THRESHOLDS } from './liveness-thresholds';

export type LivenessDecision = 'live' | 'spoof' | 'inconclusive';

/** The presentation-attack instrument species (ISO/IEC 30107 vocabulary) that the evidence points to. */
export type AttackSpecies = 'none' | 'print' | 'bent_print' | 'screen_replay' | 'rigid_mask' | 'unknown';

export interface LivenessSignals {
  /** Probability of "live" from the passive RGB model (0..1), if it ran. */
  readonly rgbLivenessScore?: number | null;
  readonly depth?: DepthLivenessResult | null;
  readonly smile?: SmileChallengeResult | null;
  /** Versions of the models that produced the signals, passed through to the verdict for the audit trail. */
  readonly modelVersions?: Readonly<Record<string, string>>;
}

export interface LivenessVerdict {
  readonly verdict: LivenessDecision;
  readonly scores: {
    readonly rgb: number | null;
    readonly depth: number | null;
    readonly smile: number | null;
    readonly fused: number | null;
  };
  /** 'none' unless the verdict is 'spoof'. */
  readonly attackSpecies: AttackSpecies;
  readonly reasons: readonly string[];
  readonly modelVersions: Readonly<Record<string, string>>;
}

/** Versions of the algorithms in this library; bump one when its maths or defaults change. */
export const LIVENESS_ALGORITHM_VERSIONS: Readonly<Record<string, string>> = Object.freeze({
  depthLiveness: 'depth-plane-quadric/1',
  smileChallenge: 'smile-mouth-ratio/1',
  livenessFusion: 'liveness-rules/1',
});

const DEPTH_SPECIES: Readonly<Record<Exclude<DepthClassification, 'genuine' | 'insufficient_data'>, AttackSpecies>> = {
  flat: 'print',
  screen: 'screen_replay',
  bent: 'bent_print',
  implausible: 'unknown',
};

/**
 * Combines the signals. Vetoes come first (depth geometry, a failed smile, an optional RGB veto), then missing
 * evidence (inconclusive), then the weighted score. The order means one strong "spoof" is never averaged away.
 */
export function fuseLiveness(signals: LivenessSignals, thresholds: LivenessThresholds = DEFAULT_LIVENESS_THRESHOLDS): LivenessVerdict {
  const rgb = finiteOrNull(signals.rgbLivenessScore);
  const depth = signals.depth ?? null;
  const smile = signals.smile ?? null;
  const usableDepth = depth && depth.classification !== 'insufficient_data' ? depth : null;
  const scores = {
    rgb,
    depth: usableDepth ? usableDepth.score : null,
    smile: smile && smile.status !== 'pending' ? smile.score : null,
    fused: fusedScore(rgb, usableDepth?.score ?? null, smile && smile.status !== 'pending' ? smile.score : null, thresholds),
  };
  const modelVersions = { ...LIVENESS_ALGORITHM_VERSIONS, ...(signals.modelVersions ?? {}) };
  const verdict = (decision: LivenessDecision, attackSpecies: AttackSpecies, reasons: string[]): LivenessVerdict => ({
    verdict: decision,
    scores,
    attackSpecies: decision === 'spoof' ? attackSpecies : 'none',
    reasons,
    modelVersions,
  });

  const spoof = vetoes(rgb, usableDepth, smile, thresholds);
  if (spoof) return verdict('spoof', spoof.species, spoof.reasons);

  const missing = missingEvidence(depth, smile, thresholds);
  if (missing.length > 0) return verdict('inconclusive', 'none', missing);

  const weak: string[] = [];
  if (rgb !== null && rgb < thresholds.rgbMinLive) weak.push(`rgb_liveness_low ${rgb.toFixed(3)} < ${thresholds.rgbMinLive}`);
  if (usableDepth && usableDepth.score < thresholds.depthMinScore) weak.push(`depth_score_low ${usableDepth.score.toFixed(2)}`);
  if (smile && smile.status === 'passed' && smile.score < thresholds.smileMinScore) weak.push(`smile_score_low ${smile.score.toFixed(2)}`);
  if (scores.fused !== null && scores.fused < thresholds.fusedMinLive) weak.push(`fused_score_low ${scores.fused.toFixed(2)} < ${thresholds.fusedMinLive}`);
  if (scores.fused === null) weak.push('no_liveness_signal');
  if (weak.length > 0) return verdict('inconclusive', 'none', weak);

  const evidence = [...(usableDepth?.reasons ?? []), ...(smile?.reasons ?? [])];
  if (rgb !== null) evidence.push(`rgb_liveness ${rgb.toFixed(3)}`);
  return verdict('live', 'none', evidence);
}

function vetoes(
  rgb: number | null,
  depth: DepthLivenessResult | null,
  smile: SmileChallengeResult | null,
  t: LivenessThresholds,
): { species: AttackSpecies; reasons: string[] } | null {
  if (depth && depth.classification !== 'genuine' && depth.classification !== 'insufficient_data') {
    return { species: DEPTH_SPECIES[depth.classification], reasons: [...depth.reasons] };
  }
  if (smile && smile.status === 'failed') {
    // Real face relief with no expression change in the window is the signature of a rigid mask. Without depth
    // we only know the presentation is static (a photo, a screen or a mask).
    const species: AttackSpecies = depth && depth.classification === 'genuine' ? 'rigid_mask' : 'unknown';
    return { species, reasons: [...smile.reasons, ...(depth ? depth.reasons : [])] };
  }
  if (rgb !== null && rgb < t.rgbVetoBelow) {
    return { species: 'unknown', reasons: [`rgb_liveness_veto ${rgb.toFixed(3)} < ${t.rgbVetoBelow}`] };
  }
  return null;
}

function missingEvidence(depth: DepthLivenessResult | null, smile: SmileChallengeResult | null, t: LivenessThresholds): string[] {
  const missing: string[] = [];
  if (t.requireDepth && !depth) missing.push('depth_missing');
  if (t.requireDepth && depth && depth.classification === 'insufficient_data') missing.push(...depth.reasons);
  if (t.requireSmile && !smile) missing.push('smile_missing');
  if (t.requireSmile && smile && smile.status === 'pending') missing.push('smile_pending');
  return missing;
}

function fusedScore(rgb: number | null, depth: number | null, smile: number | null, t: LivenessThresholds): number | null {
  let sum = 0;
  let weight = 0;
  for (const [score, w] of [
    [rgb, t.rgbWeight],
    [depth, t.depthWeight],
    [smile, t.smileWeight],
  ] as const) {
    if (score === null || w === 0) continue;
    sum += score * w;
    weight += w;
  }
  return weight > 0 ? sum / weight : null;
}

function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : null;
}
