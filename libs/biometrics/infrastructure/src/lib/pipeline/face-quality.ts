import { FaceBox } from '@smilepay/biometrics/domain';
import { RgbImage } from '../image/rgb-image';
import { toGrey } from '../image/image-ops';
import { HeadPose } from './head-pose';

/** Limits of the quality gate. Each failed limit adds one reason; the embedding is still computed. */
export interface QualityThresholds {
  /** Detector box side in frame pixels. */
  readonly minFaceSizePx: number;
  readonly minInterOcularPx: number;
  /** Variance of the Laplacian of the aligned 112x112 grey face; low means blurred or upscaled. */
  readonly minSharpness: number;
  /** Mean luma (0..255) of the aligned face's central region. */
  readonly minBrightness: number;
  readonly maxBrightness: number;
  /** Fraction of central pixels at or below 8 or at or above 247. */
  readonly maxClippedFraction: number;
  readonly maxAbsYawDeg: number;
  readonly maxAbsPitchDeg: number;
  readonly maxAbsRollDeg: number;
  readonly minDetectionScore: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = Object.freeze({
  minFaceSizePx: 80,
  minInterOcularPx: 25,
  minSharpness: 40,
  minBrightness: 50,
  maxBrightness: 210,
  maxClippedFraction: 0.2,
  maxAbsYawDeg: 30,
  maxAbsPitchDeg: 30,
  maxAbsRollDeg: 25,
  minDetectionScore: 0.8,
});

export interface QualityMetrics {
  readonly faceSizePx: number;
  readonly interOcularPx: number;
  readonly sharpness: number;
  readonly brightness: number;
  readonly clippedFraction: number;
  readonly yawDeg: number;
  readonly pitchDeg: number;
  readonly rollDeg: number;
  readonly detectionScore: number;
}

export interface QualityReport {
  readonly metrics: QualityMetrics;
  readonly passed: boolean;
  readonly reasons: readonly string[];
}

/** Region of the 112x112 aligned face that is skin in every pose the gate accepts (no black warp border). */
const CENTRAL = { x1: 24, y1: 30, x2: 88, y2: 104 };

export function measureQuality(aligned: RgbImage, box: FaceBox, interOcularPx: number, pose: HeadPose): QualityMetrics {
  const grey = toGrey(aligned);
  const { width } = grey;
  let sum = 0;
  let sumSq = 0;
  let lumaSum = 0;
  let clipped = 0;
  let n = 0;
  for (let y = CENTRAL.y1; y < CENTRAL.y2; y++) {
    for (let x = CENTRAL.x1; x < CENTRAL.x2; x++) {
      const i = y * width + x;
      const v = grey.data[i];
      const lap = grey.data[i - 1] + grey.data[i + 1] + grey.data[i - width] + grey.data[i + width] - 4 * v;
      sum += lap;
      sumSq += lap * lap;
      lumaSum += v;
      if (v <= 8 || v >= 247) clipped++;
      n++;
    }
  }
  const meanLap = sum / n;
  return {
    faceSizePx: box.y2 - box.y1,
    interOcularPx,
    sharpness: sumSq / n - meanLap * meanLap,
    brightness: lumaSum / n,
    clippedFraction: clipped / n,
    yawDeg: pose.yawDeg,
    pitchDeg: pose.pitchDeg,
    rollDeg: pose.rollDeg,
    detectionScore: box.score,
  };
}

export function gateQuality(m: QualityMetrics, t: QualityThresholds): QualityReport {
  const reasons: string[] = [];
  const f = (v: number) => v.toFixed(1);
  if (m.faceSizePx < t.minFaceSizePx) reasons.push(`face_too_small: ${f(m.faceSizePx)} px < ${t.minFaceSizePx}`);
  if (m.interOcularPx < t.minInterOcularPx) reasons.push(`eyes_too_close: inter-ocular ${f(m.interOcularPx)} px < ${t.minInterOcularPx}`);
  if (m.sharpness < t.minSharpness) reasons.push(`blurry: Laplacian variance ${f(m.sharpness)} < ${t.minSharpness}`);
  if (m.brightness < t.minBrightness) reasons.push(`too_dark: mean luma ${f(m.brightness)} < ${t.minBrightness}`);
  if (m.brightness > t.maxBrightness) reasons.push(`too_bright: mean luma ${f(m.brightness)} > ${t.maxBrightness}`);
  if (m.clippedFraction > t.maxClippedFraction) reasons.push(`clipped_exposure: ${(m.clippedFraction * 100).toFixed(0)}% > ${t.maxClippedFraction * 100}%`);
  if (Math.abs(m.yawDeg) > t.maxAbsYawDeg) reasons.push(`pose_yaw: ${f(m.yawDeg)}° beyond ±${t.maxAbsYawDeg}°`);
  if (Math.abs(m.pitchDeg) > t.maxAbsPitchDeg) reasons.push(`pose_pitch: ${f(m.pitchDeg)}° beyond ±${t.maxAbsPitchDeg}°`);
  if (Math.abs(m.rollDeg) > t.maxAbsRollDeg) reasons.push(`pose_roll: ${f(m.rollDeg)}° beyond ±${t.maxAbsRollDeg}°`);
  if (m.detectionScore < t.minDetectionScore) reasons.push(`detection_uncertain: score ${m.detectionScore.toFixed(3)} < ${t.minDetectionScore}`);
  return { metrics: m, passed: reasons.length === 0, reasons };
}
