import type { CheckoutErrorCode } from '@smilepay/checkout/contracts';
import type { DepthLivenessResult, FaceBox, MouthMetrics, Point } from '@smilepay/biometrics/domain';
import type { FaceCarry } from '@smilepay/biometrics/infrastructure';

/** The bytes of one frame as the terminal sent them; never written anywhere, dropped after analysis. */
export interface FrameBytes {
  rgb: Buffer;
  depth?: Buffer;
  /**
   * The caller will not read these bytes again, so an analyzer on another thread may take them (transfer their
   * memory instead of copying it). The socket's frames are handed over; tests that reuse a frame are not.
   */
  handOver?: boolean;
}

/**
 * How much work one frame gets. Every frame is tracked (decode, face box, landmarks, mouth) and its depth header is
 * checked; `identity` adds the embedding ('embedding') or every expensive model ('full': pose, quality gate,
 * embedding, RGB liveness); `depth` decodes the depth frame and runs the depth check. With `carriedFace` (the
 * previous frame's `carry`) the face box comes from the previous frame's landmarks and the detector does not run;
 * without it the detector finds the face and checks that it is the only one.
 */
export interface FramePlan {
  identity: 'none' | 'embedding' | 'full';
  depth: boolean;
  carriedFace?: FaceCarry | null;
}

export const FULL_FRAME_PLAN: FramePlan = Object.freeze({ identity: 'full', depth: true });

/** Where a frame's face is, once tracked: all the depth check needs besides the depth frame itself. */
export interface TrackedFace {
  width: number;
  height: number;
  box: FaceBox;
  landmarks68: readonly Point[];
}

/** Everything the session needs from one frame; the pixels themselves are not kept. */
export interface FrameAnalysis {
  width: number;
  height: number;
  box: FaceBox;
  /** False when the box was carried from the previous frame (the detector did not run). */
  detected: boolean;
  /** Where the face will be in the next frame: the next plan's `carriedFace`. */
  carry: FaceCarry;
  /** Only on 'full' frames. */
  quality: { score: number; details: Record<string, number> } | null;
  /** On 'full' and 'embedding' frames. */
  embedding: Float32Array | null;
  rgbLivenessScore: number | null;
  mouth: MouthMetrics;
  depth: DepthLivenessResult | null;
  plan: FramePlan;
  timingsMs: Record<string, number>;
  modelVersions: Record<string, string>;
}

/** A frame that went through every model: it can be the probe. */
export type DescribedFrameAnalysis = FrameAnalysis & { quality: { score: number; details: Record<string, number> }; embedding: Float32Array };

export function isDescribed(analysis: FrameAnalysis): analysis is DescribedFrameAnalysis {
  return analysis.quality !== null && analysis.embedding !== null;
}

/** A frame the gateway refuses, with the wire code the terminal gets for it. */
export class FrameRejected extends Error {
  constructor(
    readonly code: CheckoutErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FrameRejected';
  }
}

/**
 * Decodes and analyses one frame (decode, face pipeline, depth check). Throws FrameRejected for bad input.
 * An abstract class so it can serve as the Nest injection token.
 */
export abstract class FrameAnalyzer {
  abstract analyze(frame: FrameBytes, plan?: FramePlan): Promise<FrameAnalysis>;
  /**
   * Whether frames can be analysed now, for the readiness probe. An analyzer on the main thread holds its models
   * from construction; a thread pool overrides this with its live thread count.
   */
  readiness(): { ready: boolean; threads: number } {
    return { ready: true, threads: 0 };
  }
  /** Frames handed to the analyzer and not yet started (a metrics gauge). */
  get queuedFrames(): number {
    return 0;
  }
  /** Releases models and threads; called once when the app shuts down. */
  abstract close(): Promise<void>;
}
