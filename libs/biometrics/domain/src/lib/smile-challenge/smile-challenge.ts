import { MouthMetrics } from '../mouth/mouth-metrics';
import { asRecord, booleanField, integerIn, numberIn } from '../liveness-fusion/config-error';

/**
 * An active liveness challenge: the terminal asks the payer to smile, and frames must show the mouth going from a
 * neutral baseline to a smile within a time window. A still photo or a rigid mask repeats one expression, so the
 * change never appears. Everything is relative to the payer's own first frames, so a face that smiles in every
 * frame (a smiling photo) does not pass either.
 */
export interface SmileChallengeConfig {
  /** The smile must be reached within this many milliseconds of the first frame. */
  readonly windowMs: number;
  /** The first frames set the neutral baseline (their median). */
  readonly baselineFrames: number;
  /** A frame smiles when mouth width / inter-ocular rises by this fraction over the baseline… */
  readonly minWidthGainRatio: number;
  /** …and the corners rise by this much (in inter-ocular units) relative to the mouth centre. */
  readonly minCornerLiftGain: number;
  /** When false, the width gain alone decides (for landmark models whose corner points are noisy). */
  readonly requireCornerLift: boolean;
  /** This many consecutive smiling frames are needed, so one jittery landmark frame cannot pass. */
  readonly minSmileFrames: number;
  /** Hard limit on frames per challenge; frames past it are refused. */
  readonly maxFrames: number;
}

export const DEFAULT_SMILE_CHALLENGE_CONFIG: SmileChallengeConfig = Object.freeze({
  windowMs: 5000,
  baselineFrames: 3,
  minWidthGainRatio: 0.06,
  minCornerLiftGain: 0.02,
  requireCornerLift: true,
  minSmileFrames: 2,
  maxFrames: 150,
});

export function validateSmileChallengeConfig(input: unknown, prefix = 'smile'): SmileChallengeConfig {
  const s = asRecord(input, prefix);
  return Object.freeze({
    windowMs: numberIn(s, 'windowMs', prefix, 500, 60_000),
    baselineFrames: integerIn(s, 'baselineFrames', prefix, 1, 30),
    minWidthGainRatio: numberIn(s, 'minWidthGainRatio', prefix, 0.005, 1),
    minCornerLiftGain: numberIn(s, 'minCornerLiftGain', prefix, 0.001, 1),
    requireCornerLift: booleanField(s, 'requireCornerLift', prefix),
    minSmileFrames: integerIn(s, 'minSmileFrames', prefix, 1, 30),
    maxFrames: integerIn(s, 'maxFrames', prefix, 2, 10_000),
  });
}

export interface SmileFrame {
  /** Capture time on the terminal's clock, milliseconds; must increase strictly from frame to frame. */
  readonly timestampMs: number;
  readonly metrics: MouthMetrics;
}

export type SmileChallengeStatus = 'pending' | 'passed' | 'failed';

export interface SmileChallengeResult {
  readonly status: SmileChallengeStatus;
  /** 0..1; 0.5 means exactly at the thresholds for minSmileFrames frames, 1 means twice the needed change. */
  readonly score: number;
  readonly framesSeen: number;
  readonly elapsedMs: number;
  readonly baseline: { readonly mouthWidthRatio: number; readonly cornerLiftRatio: number } | null;
  readonly peakWidthGainRatio: number;
  readonly peakCornerLiftGain: number;
  /** Time from the first frame to the first frame of the passing run. */
  readonly smileOnsetMs: number | null;
  readonly reasons: readonly string[];
}

export class SmileChallenge {
  private readonly frames: SmileFrame[] = [];
  private baseline: { mouthWidthRatio: number; cornerLiftRatio: number } | null = null;
  private strengths: number[] = [];
  private peakWidthGain = 0;
  private peakLiftGain = 0;
  private passedAtIndex: number | null = null;
  private bestSustained = 0;
  /** The latest time seen, including frames refused after the window closed, so a failure stays a failure. */
  private latestMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly config: SmileChallengeConfig = DEFAULT_SMILE_CHALLENGE_CONFIG) {}

  /** Adds one frame and returns the state after it. Frames after a decision are ignored. */
  push(frame: SmileFrame): SmileChallengeResult {
    if (this.frames.length > 0) this.latestMs = Math.max(this.latestMs, frame.timestampMs);
    const decided = this.result(frame.timestampMs);
    if (decided.status !== 'pending') return decided;
    const last = this.frames[this.frames.length - 1];
    if (last && !(frame.timestampMs > last.timestampMs)) {
      throw new RangeError(`smile frame timestamps must increase: ${frame.timestampMs} after ${last.timestampMs}`);
    }
    if (!isFiniteMetrics(frame.metrics)) {
      throw new RangeError('smile frame metrics must be finite numbers');
    }
    this.frames.push(frame);
    this.latestMs = Math.max(this.latestMs, frame.timestampMs);
    if (this.frames.length === this.config.baselineFrames) {
      this.baseline = {
        mouthWidthRatio: medianOf(this.frames.map((f) => f.metrics.mouthWidthRatio)),
        cornerLiftRatio: medianOf(this.frames.map((f) => f.metrics.cornerLiftRatio)),
      };
    } else if (this.baseline) {
      this.score(frame);
    }
    return this.result(frame.timestampMs);
  }

  /** The state at `nowMs` (defaults to the last frame's time): a pending challenge fails once its window is over. */
  result(nowMs?: number): SmileChallengeResult {
    const first = this.frames[0];
    const elapsedMs = first ? Math.max(this.latestMs, nowMs ?? this.latestMs) - first.timestampMs : 0;
    const status = this.status(elapsedMs);
    return {
      status,
      score: Math.max(0, Math.min(1, this.bestSustained / 2)),
      framesSeen: this.frames.length,
      elapsedMs,
      baseline: this.baseline,
      peakWidthGainRatio: this.peakWidthGain,
      peakCornerLiftGain: this.peakLiftGain,
      smileOnsetMs: this.passedAtIndex === null ? null : this.frames[this.passedAtIndex].timestampMs - first.timestampMs,
      reasons: this.reasons(status),
    };
  }

  private status(elapsedMs: number): SmileChallengeStatus {
    if (this.passedAtIndex !== null) return 'passed';
    if (this.frames.length >= this.config.maxFrames) return 'failed';
    return this.frames.length > 0 && elapsedMs >= this.config.windowMs ? 'failed' : 'pending';
  }

  private score(frame: SmileFrame): void {
    const base = this.baseline as { mouthWidthRatio: number; cornerLiftRatio: number };
    const widthGain = (frame.metrics.mouthWidthRatio - base.mouthWidthRatio) / base.mouthWidthRatio;
    const liftGain = frame.metrics.cornerLiftRatio - base.cornerLiftRatio;
    this.peakWidthGain = Math.max(this.peakWidthGain, widthGain);
    this.peakLiftGain = Math.max(this.peakLiftGain, liftGain);
    const widthStrength = widthGain / this.config.minWidthGainRatio;
    const liftStrength = liftGain / this.config.minCornerLiftGain;
    const strength = this.config.requireCornerLift ? Math.min(widthStrength, liftStrength) : widthStrength;
    this.strengths.push(strength);
    const run = this.strengths.slice(-this.config.minSmileFrames);
    if (run.length < this.config.minSmileFrames) return;
    const sustained = Math.min(...run);
    this.bestSustained = Math.max(this.bestSustained, sustained);
    const inWindow = frame.timestampMs - this.frames[0].timestampMs <= this.config.windowMs;
    if (sustained >= 1 && inWindow && this.passedAtIndex === null) {
      this.passedAtIndex = this.frames.length - this.config.minSmileFrames;
    }
  }

  private reasons(status: SmileChallengeStatus): string[] {
    const gains = `width gain ${(this.peakWidthGain * 100).toFixed(1)}%, corner lift gain ${this.peakLiftGain.toFixed(3)}`;
    switch (status) {
      case 'passed':
        return [`smile_detected: ${gains}`];
      case 'pending':
        return this.baseline ? [`smile_waiting: ${gains}`] : ['smile_collecting_baseline'];
      case 'failed': {
        if (this.frames.length >= this.config.maxFrames) return [`smile_frame_limit ${this.config.maxFrames}`];
        if (!this.baseline) return ['smile_too_few_frames'];
        const still = this.peakWidthGain < this.config.minWidthGainRatio / 4 && this.peakLiftGain < this.config.minCornerLiftGain / 4;
        return [still ? `smile_no_expression_change: ${gains}` : `smile_not_reached_in_window: ${gains}`];
      }
      default: {
        const _exhaustive: never = status;
        return _exhaustive;
      }
    }
  }
}

function isFiniteMetrics(m: MouthMetrics): boolean {
  return [m.mouthWidthRatio, m.cornerLiftRatio, m.mouthOpenRatio, m.interOcularPx].every(Number.isFinite) && m.mouthWidthRatio > 0;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
