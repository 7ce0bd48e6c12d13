import { asRecord, numberIn, integerIn, ordered } from '../liveness-fusion/config-error';

/**
 * Tuning of the depth presentation-attack check. Lengths are millimetres. The defaults are argued in
 * docs/MODELS.md: a real face's nose tip stands 15–45 mm in front of the eyes/cheeks plane, a print or a screen
 * is planar to within sensor noise, and a bent print is explained by a quadratic surface with no nose bump.
 */
export interface DepthLivenessConfig {
  /** Depth values outside [minDepthMm, maxDepthMm] are treated as invalid (0 is always invalid). */
  readonly minDepthMm: number;
  readonly maxDepthMm: number;
  /** Samples farther than this from the face's median depth are background or hair, not face. */
  readonly backgroundGateMm: number;
  /** Used to turn pixels into millimetres when the camera's focal length is unknown (adult mean ≈ 63 mm). */
  readonly assumedInterOcularMm: number;
  /** Depth camera focal length in pixels; 0 means unknown (then assumedInterOcularMm sets the scale). */
  readonly focalLengthPx: number;
  /** The face region is sampled on a grid of at most gridSize × gridSize points. */
  readonly gridSize: number;
  readonly minSamples: number;
  /** Fraction of valid depth pixels in the central face region below which nothing is decided. */
  readonly minValidFraction: number;
  /** Planar: RMS distance to the robust plane at most this, or relief at most planarMaxReliefMm. */
  readonly planarMaxRmsMm: number;
  readonly planarMaxReliefMm: number;
  /** A planar face with at least this fraction of missing depth is a glossy screen (specular dropout). */
  readonly screenMinDropoutFraction: number;
  /** Bent: a quadratic surface explains the face to within this RMS and leaves no nose bump. */
  readonly bentMaxQuadricRmsMm: number;
  readonly minNoseAboveQuadricMm: number;
  /** Genuine: nose tip in front of the eyes/cheeks plane by this much. */
  readonly minNoseProtrusionMm: number;
  readonly maxNoseProtrusionMm: number;
  /** Genuine: 3rd–97th percentile spread of the residuals to the robust plane. */
  readonly minReliefMm: number;
  readonly maxReliefMm: number;
  /** Lower bound of the robust scale, about the sensor's noise. */
  readonly noiseFloorMm: number;
}

export const DEFAULT_DEPTH_LIVENESS_CONFIG: DepthLivenessConfig = Object.freeze({
  minDepthMm: 150,
  maxDepthMm: 2500,
  backgroundGateMm: 150,
  assumedInterOcularMm: 63,
  focalLengthPx: 0,
  gridSize: 40,
  minSamples: 150,
  minValidFraction: 0.4,
  planarMaxRmsMm: 3,
  planarMaxReliefMm: 10,
  screenMinDropoutFraction: 0.15,
  bentMaxQuadricRmsMm: 2.5,
  minNoseAboveQuadricMm: 6,
  minNoseProtrusionMm: 15,
  maxNoseProtrusionMm: 50,
  minReliefMm: 15,
  maxReliefMm: 120,
  noiseFloorMm: 1,
});

/** Checks every field; throws LivenessConfigError naming the first bad one. */
export function validateDepthLivenessConfig(input: unknown, prefix = 'depth'): DepthLivenessConfig {
  const s = asRecord(input, prefix);
  const config: DepthLivenessConfig = {
    minDepthMm: numberIn(s, 'minDepthMm', prefix, 1, 10_000),
    maxDepthMm: numberIn(s, 'maxDepthMm', prefix, 1, 65_535),
    backgroundGateMm: numberIn(s, 'backgroundGateMm', prefix, 10, 2000),
    assumedInterOcularMm: numberIn(s, 'assumedInterOcularMm', prefix, 40, 90),
    focalLengthPx: numberIn(s, 'focalLengthPx', prefix, 0, 100_000),
    gridSize: integerIn(s, 'gridSize', prefix, 8, 256),
    minSamples: integerIn(s, 'minSamples', prefix, 10, 65_536),
    minValidFraction: numberIn(s, 'minValidFraction', prefix, 0, 1),
    planarMaxRmsMm: numberIn(s, 'planarMaxRmsMm', prefix, 0, 50),
    planarMaxReliefMm: numberIn(s, 'planarMaxReliefMm', prefix, 0, 100),
    screenMinDropoutFraction: numberIn(s, 'screenMinDropoutFraction', prefix, 0, 1),
    bentMaxQuadricRmsMm: numberIn(s, 'bentMaxQuadricRmsMm', prefix, 0, 50),
    minNoseAboveQuadricMm: numberIn(s, 'minNoseAboveQuadricMm', prefix, 0, 100),
    minNoseProtrusionMm: numberIn(s, 'minNoseProtrusionMm', prefix, 0, 200),
    maxNoseProtrusionMm: numberIn(s, 'maxNoseProtrusionMm', prefix, 0, 500),
    minReliefMm: numberIn(s, 'minReliefMm', prefix, 0, 500),
    maxReliefMm: numberIn(s, 'maxReliefMm', prefix, 0, 1000),
    noiseFloorMm: numberIn(s, 'noiseFloorMm', prefix, 0.01, 50),
  };
  ordered(config.minDepthMm, config.maxDepthMm, `${prefix}.minDepthMm`, `${prefix}.maxDepthMm`);
  ordered(config.minNoseProtrusionMm, config.maxNoseProtrusionMm, `${prefix}.minNoseProtrusionMm`, `${prefix}.maxNoseProtrusionMm`);
  ordered(config.minReliefMm, config.maxReliefMm, `${prefix}.minReliefMm`, `${prefix}.maxReliefMm`);
  ordered(config.planarMaxReliefMm, config.minReliefMm, `${prefix}.planarMaxReliefMm`, `${prefix}.minReliefMm`);
  return Object.freeze(config);
}
