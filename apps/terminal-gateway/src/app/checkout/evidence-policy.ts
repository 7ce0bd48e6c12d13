import {
  DEFAULT_LIVENESS_THRESHOLDS,
  DEFAULT_SMILE_CHALLENGE_CONFIG,
  LivenessConfigError,
  validateLivenessThresholds,
} from '@smilepay/biometrics/domain';
import type { GatewayConfig } from '../config/gateway-config';
import { GatewayConfigError } from '../config/gateway-config';
import type { EvidencePolicy } from './liveness-evidence';

export const EVIDENCE_POLICY = Symbol('EVIDENCE_POLICY');

/**
 * The liveness policy: the biometrics library's thresholds (overridable as JSON in LIVENESS_THRESHOLDS, validated
 * by that library) plus the gateway's session rules.
 */
export function evidencePolicyFrom(config: GatewayConfig): EvidencePolicy {
  let thresholds = DEFAULT_LIVENESS_THRESHOLDS;
  if (config.livenessThresholdsJson) {
    try {
      thresholds = validateLivenessThresholds({ ...DEFAULT_LIVENESS_THRESHOLDS, ...JSON.parse(config.livenessThresholdsJson) });
    } catch (error) {
      const detail = error instanceof LivenessConfigError ? error.message : 'not valid JSON';
      throw new GatewayConfigError([`LIVENESS_THRESHOLDS: ${detail}`]);
    }
  }
  return {
    thresholds,
    smile: DEFAULT_SMILE_CHALLENGE_CONFIG,
    depthAttackShare: 0.34,
    depthAttackFramesToConclude: 3,
    // Genuine cross-photo pairs scored at least 0.6 in docs/MODELS.md; frames of one capture are far closer.
    minSamePersonCosine: 0.5,
    // Frames 0, 3, 6, … carry the embedding and depth samples: with 10-frame presentations that is 3–4 depth
    // checks (3 attack frames conclude a spoof) and 3 embeddings, at a third of the cost of analysing every frame.
    sampleEvery: 3,
    maxProbeAttempts: 3,
    maxIdentitySamples: 8,
    maxDepthFrames: 8,
    // At 15–30 fps a payer's face moves a few pixels per frame; a box that overlaps less than half is another face.
    minTrackIou: 0.5,
    // The detector costs more than the landmarks it feeds; between samples the landmarks follow the face themselves.
    carryFaceBetweenSamples: true,
  };
}
