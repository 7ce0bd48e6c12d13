import { performance } from 'node:perf_hooks';
import { FaceBox, MouthMetrics, Point, eyeCentres, fivePoints, interOcularDistance, mouthMetrics } from '@smilepay/biometrics/domain';
import { FaceModels } from '../models/load-models';
import { RgbImage } from '../image/rgb-image';
import { DEFAULT_DETECTION_OPTIONS, DetectionOptions, detectFaces } from './detect-faces';
import { predictLandmarks } from './landmarks';
import { alignFace } from './align-face';
import { DEFAULT_QUALITY_THRESHOLDS, QualityReport, QualityThresholds, gateQuality, measureQuality } from './face-quality';
import { HeadPose, predictHeadPose } from './head-pose';
import { embedAlignedFace } from './embed-face';
import { predictRgbLiveness } from './rgb-liveness';
import { carriedBox, carryFace, FaceCarry } from './face-carry';

export interface FacePipelineOptions {
  readonly detection?: Partial<DetectionOptions>;
  readonly quality?: Partial<QualityThresholds>;
  /**
   * Another face counts as a second person (→ multiple_faces) when its box side is at least this fraction of the
   * largest face's. 0 makes any second detection count. A payer's face fills the terminal's view; a distant
   * bystander is much smaller.
   */
  readonly secondaryFaceMinRatio?: number;
  /** Channel order fed to the embedding model. Default BGR: it separated our genuine and impostor pairs better (docs/MODELS.md). */
  readonly embeddingChannelOrder?: 'RGB' | 'BGR';
}

export interface FaceAnalysisTimings {
  readonly detectMs: number;
  readonly landmarksMs: number;
  readonly alignMs: number;
  readonly poseMs: number;
  readonly qualityMs: number;
  readonly embeddingMs: number;
  readonly livenessMs: number;
  readonly totalMs: number;
}

export interface FaceAnalysis {
  /** The payer's face box in frame pixels (square, clipped to the frame). */
  readonly box: FaceBox;
  readonly landmarks68: readonly Point[];
  readonly quality: QualityReport;
  /** 512-D, L2-normalised: compare with cosineSimilarity (or a dot product). */
  readonly embedding: Float32Array;
  /** fr_liveness class-0 probability; a weak signal, see docs/MODELS.md. */
  readonly rgbLivenessScore: number;
  readonly rgbLivenessProbabilities: readonly number[];
  /** Mouth measurements for the smile challenge. */
  readonly mouth: MouthMetrics;
  readonly pose: HeadPose;
  /** Faces the detector saw (including ignored small background faces). */
  readonly facesDetected: number;
  readonly timingsMs: FaceAnalysisTimings;
  readonly modelVersions: Readonly<Record<string, string>>;
}

/** One frame's face as the cheap per-frame stages see it. */
export interface FaceTrack {
  readonly box: FaceBox;
  readonly landmarks68: readonly Point[];
  readonly mouth: MouthMetrics;
  /** Faces the detector saw; 1 when the box was carried from the previous frame (`detected` false). */
  readonly facesDetected: number;
  /** False when the detector did not run: the box was carried from the previous frame's landmarks. */
  readonly detected: boolean;
  /** Where to look in the next frame of the same capture (pass it to `track`). */
  readonly carry: FaceCarry;
  readonly timingsMs: { readonly detectMs: number; readonly landmarksMs: number };
}

export type FaceAnalysisErrorCode = 'no_face' | 'multiple_faces';

export class FaceAnalysisError extends Error {
  constructor(
    readonly code: FaceAnalysisErrorCode,
    message: string,
    readonly faces: readonly FaceBox[],
  ) {
    super(message);
    this.name = 'FaceAnalysisError';
  }
}

/**
 * detect → exactly one face → 68 landmarks → 5-point similarity alignment → pose and quality gate → embedding →
 * passive RGB liveness, split into a cheap `track` (per frame) and an expensive `describe`. Stateless apart from the shared sessions, so one instance serves concurrent calls.
 */
export class FacePipeline {
  private readonly detection: DetectionOptions;
  private readonly quality: QualityThresholds;
  private readonly secondaryFaceMinRatio: number;
  private readonly bgrEmbedding: boolean;

  constructor(
    private readonly models: FaceModels,
    options: FacePipelineOptions = {},
  ) {
    this.detection = { ...DEFAULT_DETECTION_OPTIONS, ...options.detection };
    this.quality = { ...DEFAULT_QUALITY_THRESHOLDS, ...options.quality };
    this.secondaryFaceMinRatio = options.secondaryFaceMinRatio ?? 0.5;
    this.bgrEmbedding = options.embeddingChannelOrder !== 'RGB';
    if (!(this.secondaryFaceMinRatio >= 0 && this.secondaryFaceMinRatio <= 1)) {
      throw new RangeError(`secondaryFaceMinRatio must be in [0, 1], got ${this.secondaryFaceMinRatio}`);
    }
  }

  /** `package@version/file#sha` per model, for the audit trail. */
  get modelVersions(): Readonly<Record<string, string>> {
    return this.models.versions;
  }

  /** Every face in the frame, best score first. */
  async detect(image: RgbImage): Promise<FaceBox[]> {
    return detectFaces(this.models.sessions.fr_detect, image, this.detection);
  }

  /**
   * The cheap per-frame part: detect → exactly one face → 68 landmarks → mouth metrics. Enough to follow the face
   * and the smile from frame to frame; `describe` adds the expensive models for the frames that need them.
   * With `carried` (the previous frame's `carry`, same capture) the detector is skipped and the landmarks are read
   * from the carried box, so the single-face check and `no_face` happen only on frames that detect; an unusable
   * carried box (mostly outside the frame) falls back to detection.
   */
  async track(image: RgbImage, carried?: FaceCarry | null): Promise<FaceTrack> {
    const clock = new StageClock();
    const carriedFaceBox = carried ? carriedBox(carried, image.width, image.height) : null;
    if (carried && carriedFaceBox) {
      const landmarks68 = await predictLandmarks(this.models.sessions.fr_landmark, image, carriedFaceBox);
      const carry = carryFace(landmarks68, carriedFaceBox, carried.anchor);
      const mouth = mouthMetrics(landmarks68);
      return { box: carriedFaceBox, landmarks68, mouth, facesDetected: 1, detected: false, carry, timingsMs: { detectMs: 0, landmarksMs: clock.lap() } };
    }
    const faces = await this.detect(image);
    const detectMs = clock.lap();
    const box = this.singleFace(faces);
    const landmarks68 = await predictLandmarks(this.models.sessions.fr_landmark, image, box);
    const landmarksMs = clock.lap();
    const carry = carryFace(landmarks68, box);
    return { box, landmarks68, mouth: mouthMetrics(landmarks68), facesDetected: faces.length, detected: true, carry, timingsMs: { detectMs, landmarksMs } };
  }

  /** Alignment and the 512-D embedding only: what a same-person check needs. */
  async embed(image: RgbImage, track: FaceTrack): Promise<{ embedding: Float32Array; alignMs: number; embeddingMs: number }> {
    const clock = new StageClock();
    const { aligned } = alignFace(image, fivePoints(track.landmarks68));
    const alignMs = clock.lap();
    const embedding = await embedAlignedFace(this.models.sessions.fr_feature, aligned, this.bgrEmbedding);
    return { embedding, alignMs, embeddingMs: clock.lap() };
  }

  /** The expensive part on a tracked face: alignment, pose, quality gate, embedding, passive RGB liveness. */
  async describe(image: RgbImage, track: FaceTrack): Promise<FaceAnalysis> {
    const { sessions } = this.models;
    const { box, landmarks68 } = track;
    const clock = new StageClock();
    const { aligned } = alignFace(image, fivePoints(landmarks68));
    const alignMs = clock.lap();
    const pose = withLandmarkRoll(await predictHeadPose(sessions.fr_pose, image, box), landmarks68);
    const poseMs = clock.lap();
    const quality = gateQuality(measureQuality(aligned, box, interOcularDistance(landmarks68), pose), this.quality);
    const qualityMs = clock.lap();
    const embedding = await embedAlignedFace(sessions.fr_feature, aligned, this.bgrEmbedding);
    const embeddingMs = clock.lap();
    const liveness = await predictRgbLiveness(sessions.fr_liveness, image, box);
    const livenessMs = clock.lap();
    const { detectMs, landmarksMs } = track.timingsMs;
    return {
      box,
      landmarks68,
      quality,
      embedding,
      rgbLivenessScore: liveness.live,
      rgbLivenessProbabilities: liveness.probabilities,
      mouth: track.mouth,
      pose,
      facesDetected: track.facesDetected,
      timingsMs: { detectMs, landmarksMs, alignMs, poseMs, qualityMs, embeddingMs, livenessMs, totalMs: detectMs + landmarksMs + clock.total() },
      modelVersions: this.models.versions,
    };
  }

  /** Every stage on one frame: `track` then `describe`. */
  async analyze(image: RgbImage): Promise<FaceAnalysis> {
    return this.describe(image, await this.track(image));
  }

  private singleFace(faces: readonly FaceBox[]): FaceBox {
    if (faces.length === 0) throw new FaceAnalysisError('no_face', 'no face found in the frame', faces);
    const largest = Math.max(...faces.map((f) => f.y2 - f.y1));
    const people = faces.filter((f) => f.y2 - f.y1 >= largest * this.secondaryFaceMinRatio);
    if (people.length > 1) {
      throw new FaceAnalysisError('multiple_faces', `${people.length} faces in the frame; exactly one payer must be in view`, people);
    }
    return people[0];
  }
}

/**
 * Roll from the eye line is purely geometric and more reliable than the pose model's roll bins, so it replaces
 * them; yaw and pitch stay with the model.
 */
function withLandmarkRoll(pose: HeadPose, landmarks: readonly Point[]): HeadPose {
  const eyes = eyeCentres(landmarks);
  const rollDeg = (Math.atan2(eyes.left.y - eyes.right.y, eyes.left.x - eyes.right.x) * 180) / Math.PI;
  return { ...pose, rollDeg };
}

class StageClock {
  private readonly start = performance.now();
  private last = this.start;

  lap(): number {
    const now = performance.now();
    const elapsed = now - this.last;
    this.last = now;
    return elapsed;
  }

  total(): number {
    return performance.now() - this.start;
  }
}
