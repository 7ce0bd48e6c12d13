import { performance } from 'node:perf_hooks';
import { DEFAULT_DEPTH_LIVENESS_CONFIG, DepthLivenessConfig, DepthLivenessResult, depthLiveness } from '@smilepay/biometrics/domain';
import {
  checkDepthHeader,
  decodeDepth,
  decodeRgb,
  FaceAnalysis,
  FaceAnalysisError,
  FacePipeline,
  FrameDecodeError,
  FrameErrorCode,
  FrameLimits,
  QualityReport,
} from '@smilepay/biometrics/infrastructure';
import { CheckoutErrorCode } from '@smilepay/checkout/contracts';
import { FrameAnalysis, FrameAnalyzer, FrameBytes, FramePlan, FrameRejected, FULL_FRAME_PLAN, TrackedFace } from './frame-analyzer.port';

const decodeCodes: Record<FrameErrorCode, CheckoutErrorCode> = {
  frame_empty: CheckoutErrorCode.FrameCorrupt,
  frame_too_large: CheckoutErrorCode.FrameTooLarge,
  frame_unsupported_format: CheckoutErrorCode.FrameUnsupportedFormat,
  frame_corrupt: CheckoutErrorCode.FrameCorrupt,
  frame_bad_dimensions: CheckoutErrorCode.FrameBadDimensions,
  depth_not_16bit_grey: CheckoutErrorCode.FrameUnsupportedFormat,
  depth_mismatch: CheckoutErrorCode.DepthMismatch,
};

/**
 * The real analysis: decode (sharp, off the event loop), the face pipeline (onnxruntime), then the depth check on
 * the face region, as much of it as the frame's plan asks for. Decoded pixels live only inside this call.
 */
export class BiometricsFrameAnalyzer extends FrameAnalyzer {
  constructor(
    private readonly pipeline: FacePipeline,
    private readonly limits: Partial<FrameLimits>,
    private readonly release: () => Promise<void> = async () => undefined,
    private readonly depthConfig: DepthLivenessConfig = DEFAULT_DEPTH_LIVENESS_CONFIG,
  ) {
    super();
  }

  close(): Promise<void> {
    return this.release();
  }

  /**
   * With `depthElsewhere`, the planned depth check is left to whoever it tells where the face is, as soon as the face
   * is tracked and before the identity models run (`analyzeDepth` on another thread, at the same time): the result
   * then has `depth: null` for the caller to fill in.
   */
  async analyze(frame: FrameBytes, plan: FramePlan = FULL_FRAME_PLAN, depthElsewhere?: (face: TrackedFace) => void): Promise<FrameAnalysis> {
    const timingsMs: Record<string, number> = {};
    const lap = stopwatch();
    const image = await this.decode(() => decodeRgb(frame.rgb, this.limits), 'rgb');
    timingsMs['decode_rgb'] = lap();
    // Every depth frame's header is checked (size, format, registration); only planned frames are decoded.
    if (frame.depth) await this.decode(async () => checkDepthHeader(frame.depth as Buffer, image, this.limits), 'depth');
    const track = await this.faceStage(() => this.pipeline.track(image, plan.carriedFace));
    if (track.detected) timingsMs['detect'] = track.timingsMs.detectMs;
    timingsMs['landmarks'] = track.timingsMs.landmarksMs;
    const face: TrackedFace = { width: image.width, height: image.height, box: track.box, landmarks68: track.landmarks68 };
    depthElsewhere?.(face);
    lap();
    let described: FaceAnalysis | null = null;
    let embedding: Float32Array | null = null;
    if (plan.identity === 'full') {
      described = await this.pipeline.describe(image, track);
      embedding = described.embedding;
      const t = described.timingsMs;
      Object.assign(timingsMs, { align: t.alignMs, pose: t.poseMs, quality: t.qualityMs, embedding: t.embeddingMs, rgb_liveness: t.livenessMs, describe: lap() });
    } else if (plan.identity === 'embedding') {
      const embedded = await this.pipeline.embed(image, track);
      embedding = embedded.embedding;
      Object.assign(timingsMs, { align: embedded.alignMs, embedding: embedded.embeddingMs });
      lap();
    }
    let depth: DepthLivenessResult | null = null;
    if (frame.depth && plan.depth && depthElsewhere === undefined) {
      const checked = await this.analyzeDepth(frame.depth, face);
      depth = checked.depth;
      Object.assign(timingsMs, checked.timingsMs);
    }
    return {
      width: image.width,
      height: image.height,
      box: track.box,
      detected: track.detected,
      carry: track.carry,
      quality: described ? { score: qualityScore(described.quality), details: qualityDetails(described.quality) } : null,
      embedding,
      rgbLivenessScore: described ? described.rgbLivenessScore : null,
      mouth: track.mouth,
      depth,
      plan: { ...plan },
      timingsMs,
      modelVersions: { ...this.pipeline.modelVersions },
    };
  }

  /** The depth check of a tracked face: decode the depth PNG (registered to the colour frame) and fit its relief. */
  async analyzeDepth(depthPng: Buffer, face: TrackedFace): Promise<{ depth: DepthLivenessResult; timingsMs: Record<string, number> }> {
    const lap = stopwatch();
    const depth = await this.decode(async () => decodeDepth(depthPng, face, this.limits), 'depth');
    const decodeMs = lap();
    const result = depthLiveness(depth.data, depth.width, depth.height, face.box, face.landmarks68, this.depthConfig);
    return { depth: result, timingsMs: { decode_depth: decodeMs, depth_liveness: lap() } };
  }

  private async faceStage<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof FaceAnalysisError) {
        throw new FrameRejected(error.code === 'no_face' ? CheckoutErrorCode.NoFace : CheckoutErrorCode.MultipleFaces, error.message);
      }
      throw error;
    }
  }

  private async decode<T>(run: () => Promise<T>, what: 'rgb' | 'depth'): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof FrameDecodeError) throw new FrameRejected(decodeCodes[error.code], `${what}: ${error.message}`);
      throw error;
    }
  }
}

/**
 * One 0..1 number to pick the probe frame by: frames that pass the quality gate always beat frames that do not;
 * among them, sharper, more frontal and more confidently detected faces win.
 */
export function qualityScore(report: QualityReport): number {
  const m = report.metrics;
  const sharp = Math.min(1, m.sharpness / 400);
  const frontal = Math.max(0, 1 - (Math.abs(m.yawDeg) + Math.abs(m.pitchDeg)) / 90);
  const graded = (sharp + frontal + Math.min(1, Math.max(0, m.detectionScore))) / 3;
  return (report.passed ? 0.5 : 0) + 0.5 * graded;
}

function qualityDetails(report: QualityReport): Record<string, number> {
  return { ...report.metrics, passed: report.passed ? 1 : 0 };
}

function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const elapsed = now - last;
    last = now;
    return elapsed;
  };
}
