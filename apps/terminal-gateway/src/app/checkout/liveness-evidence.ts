import {
  cosineSimilarity,
  DepthLivenessResult,
  fuseLiveness,
  LivenessThresholds,
  LivenessVerdict,
  SmileChallenge,
  SmileChallengeConfig,
} from '@smilepay/biometrics/domain';
import { CheckoutErrorCode } from '@smilepay/checkout/contracts';
import { FrameAnalysis, FrameRejected } from './frame-analyzer.port';

export interface EvidencePolicy {
  thresholds: LivenessThresholds;
  smile: SmileChallengeConfig;
  /** Share of depth-usable frames that must show the same attack geometry for it to decide the session. */
  depthAttackShare: number;
  /** Attack frames after which capture can stop early: more frames would not change a spoof verdict. */
  depthAttackFramesToConclude: number;
  /** Every analysed frame must show the probe frame's person: below this cosine the session is refused. */
  minSamePersonCosine: number;
}

export interface BestFrame {
  seq: number;
  analysis: FrameAnalysis;
}

/**
 * Accumulates one session's frames into the inputs of `fuseLiveness`: a smile challenge over the whole sequence,
 * one depth result standing for the session, the median RGB score, and the best-quality frame for the probe.
 * It also checks that one person is in front of the camera throughout: a genuine face that smiles for the
 * challenge must not lend its liveness to a photo of someone else shown in another frame.
 */
export class LivenessEvidence {
  readonly #smile: SmileChallenge;
  readonly #depth: DepthLivenessResult[] = [];
  readonly #rgb: number[] = [];
  readonly #embeddings: Float32Array[] = [];
  readonly #modelVersions: Record<string, string> = {};
  #best: BestFrame | null = null;
  #minSamePerson = 1;

  constructor(private readonly policy: EvidencePolicy) {
    this.#smile = new SmileChallenge(policy.smile);
  }

  add(seq: number, capturedAtMs: number, analysis: FrameAnalysis): { smileProgress: number } {
    let smile;
    try {
      smile = this.#smile.push({ timestampMs: capturedAtMs, metrics: analysis.mouth });
    } catch (error) {
      throw new FrameRejected(CheckoutErrorCode.InvalidRequest, `frame ${seq} refused: ${(error as Error).message}`);
    }
    if (analysis.depth) this.#depth.push(analysis.depth);
    if (analysis.rgbLivenessScore !== null) this.#rgb.push(analysis.rgbLivenessScore);
    for (const embedding of this.#embeddings.slice(0, 1)) {
      this.#minSamePerson = Math.min(this.#minSamePerson, cosineSimilarity(embedding, analysis.embedding));
    }
    // Only the first embedding is kept for the same-person check: memory per session stays constant.
    if (this.#embeddings.length === 0) this.#embeddings.push(analysis.embedding);
    Object.assign(this.#modelVersions, analysis.modelVersions);
    if (!this.#best || analysis.quality.score > this.#best.analysis.quality.score) this.#best = { seq, analysis };
    return { smileProgress: smile.status === 'passed' ? 1 : Math.min(0.99, smile.score) };
  }

  get analyzedFrames(): number {
    return this.#smile.result().framesSeen;
  }

  get best(): BestFrame | null {
    return this.#best;
  }

  /** True once more frames cannot change the verdict: the smile is decided and depth agrees, or depth says attack. */
  conclusive(): boolean {
    const attackFrames = this.#depth.filter((d) => d.classification !== 'genuine' && d.classification !== 'insufficient_data');
    if (attackFrames.length >= this.policy.depthAttackFramesToConclude) return true;
    const smile = this.#smile.result();
    if (smile.status === 'pending') return false;
    return this.#depth.some((d) => d.classification === 'genuine') || !this.policy.thresholds.requireDepth;
  }

  decide(): LivenessVerdict {
    const verdict = fuseLiveness(
      { rgbLivenessScore: median(this.#rgb), depth: this.sessionDepth(), smile: this.#smile.result(), modelVersions: this.#modelVersions },
      this.policy.thresholds,
    );
    if (verdict.verdict === 'live' && this.#minSamePerson < this.policy.minSamePersonCosine) {
      return {
        ...verdict,
        verdict: 'spoof',
        attackSpecies: 'unknown',
        reasons: [`face_changed_during_capture: min cosine to first frame ${this.#minSamePerson.toFixed(2)} < ${this.policy.minSamePersonCosine}`],
      };
    }
    return verdict;
  }

  /**
   * One depth result for the session. An attack geometry seen in a sizeable share of the usable frames decides
   * (the most frequent one wins); otherwise the genuine frame with the median score stands for the session, so a
   * single lucky frame can neither pass nor sink it.
   */
  private sessionDepth(): DepthLivenessResult | null {
    if (this.#depth.length === 0) return null;
    const usable = this.#depth.filter((d) => d.classification !== 'insufficient_data');
    if (usable.length === 0) return this.#depth[this.#depth.length - 1];
    const counts = new Map<string, DepthLivenessResult[]>();
    for (const d of usable) counts.set(d.classification, [...(counts.get(d.classification) ?? []), d]);
    const attacks = [...counts.entries()].filter(([c]) => c !== 'genuine').sort((a, b) => b[1].length - a[1].length);
    if (attacks.length > 0 && attacks[0][1].length >= Math.ceil(usable.length * this.policy.depthAttackShare)) return attacks[0][1][0];
    const genuine = (counts.get('genuine') ?? []).sort((a, b) => a.score - b.score);
    if (genuine.length === 0) return attacks[0][1][0];
    return genuine[Math.floor((genuine.length - 1) / 2)];
  }
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
