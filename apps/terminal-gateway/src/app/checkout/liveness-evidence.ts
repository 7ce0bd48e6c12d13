import {
  cosineSimilarity,
  DepthLivenessResult,
  FaceBox,
  fuseLiveness,
  LivenessThresholds,
  LivenessVerdict,
  SmileChallenge,
  SmileChallengeConfig,
} from '@smilepay/biometrics/domain';
import type { FaceCarry } from '@smilepay/biometrics/infrastructure';
import { CheckoutErrorCode } from '@smilepay/checkout/contracts';
import { DescribedFrameAnalysis, FrameAnalysis, FramePlan, FrameRejected, isDescribed } from './frame-analyzer.port';

export interface EvidencePolicy {
  thresholds: LivenessThresholds;
  smile: SmileChallengeConfig;
  /** Share of depth-usable frames that must show the same attack geometry for it to decide the session. */
  depthAttackShare: number;
  /** Attack frames after which capture can stop early: more frames would not change a spoof verdict. */
  depthAttackFramesToConclude: number;
  /** Every embedded frame must show the first embedded frame's person: below this cosine the session is refused. */
  minSamePersonCosine: number;
  /** Every n-th frame (0, n, 2n, …) is sampled for an embedding and the depth check; the others are only tracked. */
  sampleEvery: number;
  /** Frames run through every model (the probe candidates) at most, if earlier candidates fail the quality gate. */
  maxProbeAttempts: number;
  /** Sampled embeddings per session at most (besides the probe's). */
  maxIdentitySamples: number;
  /** Depth frames decoded and checked per session at most. */
  maxDepthFrames: number;
  /** Consecutive analysed frames must overlap this much (IoU of the face boxes), or the face was not followed. */
  minTrackIou: number;
  /**
   * Frames that are neither sampled nor probe candidates take their face box from the previous frame's landmarks
   * instead of running the detector (which also checks there is exactly one face): docs/MODELS.md section 10.
   */
  carryFaceBetweenSamples: boolean;
}

export interface BestFrame {
  seq: number;
  analysis: DescribedFrameAnalysis;
}

/**
 * Accumulates one session's frames into the inputs of `fuseLiveness`: a smile challenge over the whole sequence,
 * one depth result standing for the session, the probe's RGB score, and the best-quality frame for the probe.
 * It also checks that one person is in front of the camera throughout: a genuine face that smiles for the
 * challenge must not lend its liveness to a photo of someone else shown in another frame.
 *
 * Not every frame gets every model (`planNext`): every frame is tracked (face box, landmarks, smile); the first
 * frame is the probe candidate and runs every model; every `sampleEvery`-th frame adds an embedding and the depth
 * check, and only those frames (and probe candidates) run the detector: in between, the face box is carried from
 * the previous frame's landmarks. The one-person rule therefore rests on the sampled embeddings plus the face track:
 * consecutive frames' boxes must overlap, so a different face cannot be swapped in between samples without a jump
 * in the track.
 */
export class LivenessEvidence {
  readonly #smile: SmileChallenge;
  readonly #depth: DepthLivenessResult[] = [];
  readonly #rgb: number[] = [];
  readonly #embeddings: Float32Array[] = [];
  readonly #modelVersions: Record<string, string> = {};
  #best: BestFrame | null = null;
  #minSamePerson = 1;
  #probeAttempts = 0;
  #identitySamples = 0;
  #depthFrames = 0;
  #planned = 0;
  #lastBox: FaceBox | null = null;
  #minTrackIou = 1;
  /** The previous frame's carry, only if that frame was analysed: a refused frame breaks the track. */
  #carry: FaceCarry | null = null;

  constructor(private readonly policy: EvidencePolicy) {
    this.#smile = new SmileChallenge(policy.smile);
  }

  /**
   * The work the next frame gets. Frames are analysed one after another per session, so the counts here are exact.
   * A planned frame that is then refused (no face) still advances the sampling index and spends its embedding and
   * depth budget: a terminal cannot steer which frames are sampled by sending bad ones. Only a probe attempt that
   * really ran counts against `maxProbeAttempts`, so frames sent before the payer is in view do not use them up.
   */
  planNext(hasDepth: boolean): FramePlan {
    const index = this.#planned++;
    const sampled = index % this.policy.sampleEvery === 0;
    const needProbe = (!this.#best || this.#best.analysis.quality.details['passed'] !== 1) && this.#probeAttempts < this.policy.maxProbeAttempts;
    let identity: FramePlan['identity'] = 'none';
    if (needProbe) {
      identity = 'full';
    } else if (sampled && this.#identitySamples < this.policy.maxIdentitySamples) {
      identity = 'embedding';
      this.#identitySamples++;
    }
    const depth = hasDepth && (sampled || identity === 'full') && this.#depthFrames < this.policy.maxDepthFrames;
    if (depth) this.#depthFrames++;
    const carry = this.#carry;
    this.#carry = null;
    const detect = sampled || identity === 'full' || !this.policy.carryFaceBetweenSamples;
    return { identity, depth, carriedFace: detect ? null : carry };
  }

  add(seq: number, capturedAtMs: number, analysis: FrameAnalysis): { smileProgress: number } {
    let smile;
    try {
      smile = this.#smile.push({ timestampMs: capturedAtMs, metrics: analysis.mouth });
    } catch (error) {
      throw new FrameRejected(CheckoutErrorCode.InvalidRequest, `frame ${seq} refused: ${(error as Error).message}`);
    }
    if (analysis.plan.identity === 'full') this.#probeAttempts++;
    if (analysis.depth) this.#depth.push(analysis.depth);
    if (analysis.rgbLivenessScore !== null) this.#rgb.push(analysis.rgbLivenessScore);
    if (this.#lastBox) this.#minTrackIou = Math.min(this.#minTrackIou, boxIou(this.#lastBox, analysis.box));
    this.#lastBox = analysis.box;
    this.#carry = analysis.carry;
    if (analysis.embedding) {
      for (const embedding of this.#embeddings.slice(0, 1)) {
        this.#minSamePerson = Math.min(this.#minSamePerson, cosineSimilarity(embedding, analysis.embedding));
      }
      // Only the first embedding is kept for the same-person check: memory per session stays constant.
      if (this.#embeddings.length === 0) this.#embeddings.push(analysis.embedding);
    }
    Object.assign(this.#modelVersions, analysis.modelVersions);
    if (isDescribed(analysis) && (!this.#best || analysis.quality.score > this.#best.analysis.quality.score)) this.#best = { seq, analysis };
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
    if (verdict.verdict === 'live' && this.#minTrackIou < this.policy.minTrackIou) {
      // A jump in the track may be a swap between samples, or just a payer who moved: ask for a retry, not live.
      return { ...verdict, verdict: 'inconclusive', reasons: [`face_track_lost: box overlap ${this.#minTrackIou.toFixed(2)} < ${this.policy.minTrackIou} between frames`] };
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

function boxIou(a: FaceBox, b: FaceBox): number {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - w * h;
  return union > 0 ? (w * h) / union : 0;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
