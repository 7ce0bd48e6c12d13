import {
  DEFAULT_DEPTH_LIVENESS_CONFIG,
  DEFAULT_LIVENESS_THRESHOLDS,
  DEFAULT_SMILE_CHALLENGE_CONFIG,
  DepthLivenessConfig,
  DepthLivenessResult,
  LivenessThresholds,
  LivenessVerdict,
  SmileChallenge,
  SmileChallengeConfig,
  SmileChallengeResult,
  depthLiveness,
  fuseLiveness,
} from '@smilepay/biometrics/domain';
import { RgbImage } from '../image/rgb-image';
import { FacePipeline } from '../pipeline/face-pipeline';
import { SyntheticDepthKind, synthesizeDepth } from '../synthetic/synthetic-depth';
import { SyntheticSmileKind, synthesizeSmileSequence } from '../synthetic/synthetic-smile';

/** SYNTHETIC presentations: what the terminal would send for a bona fide payer and for each attack species. */
export type SyntheticPresentationSpecies = 'bona_fide' | 'print' | 'screen_replay' | 'bent_print' | 'rigid_mask';

export const SYNTHETIC_PRESENTATION_PLAN: Readonly<Record<SyntheticPresentationSpecies, { depth: SyntheticDepthKind; smile: SyntheticSmileKind }>> = {
  bona_fide: { depth: 'genuine', smile: 'genuine' },
  print: { depth: 'flat', smile: 'still' },
  screen_replay: { depth: 'screen', smile: 'still' },
  bent_print: { depth: 'bent', smile: 'still' },
  rigid_mask: { depth: 'mask', smile: 'rigid_mask' },
};

export interface SyntheticPresentationOptions {
  readonly seed: number;
  readonly frames: number;
  readonly thresholds: LivenessThresholds;
  readonly smileConfig: SmileChallengeConfig;
  readonly depthConfig: DepthLivenessConfig;
}

export interface SyntheticPresentationOutcome {
  readonly verdict: LivenessVerdict;
  readonly depth: DepthLivenessResult;
  readonly smile: SmileChallengeResult;
  readonly rgbLivenessScore: number;
}

/**
 * Runs one synthetic presentation through the real pipeline: every RGB frame of the sequence is analysed by the
 * real models (landmarks drive the smile challenge), the depth frame is synthesised on the first frame's face,
 * and the verdict comes from fuseLiveness. The RGB score is the median over the frames.
 */
export async function runSyntheticPresentation(
  pipeline: FacePipeline,
  frame: RgbImage,
  species: SyntheticPresentationSpecies,
  options: Partial<SyntheticPresentationOptions> = {},
): Promise<SyntheticPresentationOutcome> {
  const o: SyntheticPresentationOptions = {
    seed: 1,
    frames: 10,
    thresholds: DEFAULT_LIVENESS_THRESHOLDS,
    smileConfig: DEFAULT_SMILE_CHALLENGE_CONFIG,
    depthConfig: DEFAULT_DEPTH_LIVENESS_CONFIG,
    ...options,
  };
  const plan = SYNTHETIC_PRESENTATION_PLAN[species];
  const first = await pipeline.analyze(frame);
  const sequence = synthesizeSmileSequence(frame, first.landmarks68, plan.smile, { seed: o.seed, frames: o.frames });
  const challenge = new SmileChallenge(o.smileConfig);
  const rgbScores: number[] = [];
  for (const step of sequence) {
    const analysis = await pipeline.analyze(step.image);
    rgbScores.push(analysis.rgbLivenessScore);
    challenge.push({ timestampMs: step.timestampMs, metrics: analysis.mouth });
  }
  // The terminal ends the challenge when its window is over.
  const smile = challenge.result(sequence[0].timestampMs + o.smileConfig.windowMs);
  const depthFrame = synthesizeDepth(plan.depth, first.box, first.landmarks68, frame, { seed: o.seed });
  const depth = depthLiveness(depthFrame.data, depthFrame.width, depthFrame.height, first.box, first.landmarks68, o.depthConfig);
  const rgbLivenessScore = [...rgbScores].sort((a, b) => a - b)[Math.floor((rgbScores.length - 1) / 2)];
  const verdict = fuseLiveness({ rgbLivenessScore, depth, smile, modelVersions: first.modelVersions }, o.thresholds);
  return { verdict, depth, smile, rgbLivenessScore };
}
