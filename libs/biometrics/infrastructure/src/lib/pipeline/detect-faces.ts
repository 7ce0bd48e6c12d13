import { Tensor, InferenceSession } from 'onnxruntime-node';
import { FaceBox } from '@smilepay/biometrics/domain';
import { RgbImage } from '../image/rgb-image';
import { toChw, warpRgb } from '../image/image-ops';

export interface DetectionOptions {
  /** Minimum face probability (index 1 of the detector's softmax). */
  readonly scoreThreshold: number;
  /** Greedy non-maximum suppression: a box overlapping a better one by more than this IoU is dropped. */
  readonly nmsIouThreshold: number;
  /** Upper bound on the faces returned; the detector has 4420 anchors and a crowd photo must not flood us. */
  readonly maxFaces: number;
}

export const DEFAULT_DETECTION_OPTIONS: DetectionOptions = Object.freeze({
  scoreThreshold: 0.65,
  nmsIouThreshold: 0.4,
  maxFaces: 50,
});

const IN_W = 320;
const IN_H = 240;
/** Grey letterbox padding, which normalises to ~0 with the detector's (v - 127) / 128. */
const PAD = 127;

/**
 * Runs the detector on the whole frame, letterboxed into 320x240 so faces keep their aspect ratio.
 * Returns square boxes (side = detected height, as the landmark model was trained with), clipped to the frame,
 * best score first.
 */
export async function detectFaces(session: InferenceSession, image: RgbImage, options: DetectionOptions): Promise<FaceBox[]> {
  const scale = Math.min(IN_W / image.width, IN_H / image.height);
  const offsetX = (IN_W - image.width * scale) / 2;
  const offsetY = (IN_H - image.height * scale) / 2;
  // Output pixel (u, v) → source ((u - offsetX) / scale, (v - offsetY) / scale), pixel centres aligned.
  const inv = 1 / scale;
  const letterboxed = warpRgb(image, [inv, 0, (0.5 - offsetX) * inv - 0.5, 0, inv, (0.5 - offsetY) * inv - 0.5], IN_W, IN_H, PAD);
  const input = new Tensor('float32', toChw(letterboxed, [127, 127, 127], [1 / 128, 1 / 128, 1 / 128]), [1, 3, IN_H, IN_W]);
  const output = await session.run({ input });
  const scores = output['scores'].data as Float32Array;
  const boxes = output['boxes'].data as Float32Array;
  const candidates: FaceBox[] = [];
  for (let i = 0; i < scores.length / 2; i++) {
    const score = scores[i * 2 + 1];
    if (score < options.scoreThreshold) continue;
    candidates.push({
      x1: (boxes[i * 4] * IN_W - offsetX) / scale,
      y1: (boxes[i * 4 + 1] * IN_H - offsetY) / scale,
      x2: (boxes[i * 4 + 2] * IN_W - offsetX) / scale,
      y2: (boxes[i * 4 + 3] * IN_H - offsetY) / scale,
      score,
    });
  }
  return nonMaximumSuppression(candidates, options.nmsIouThreshold, options.maxFaces).map((b) => squareBox(b, image.width, image.height));
}

export function iou(a: FaceBox, b: FaceBox): number {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

export function nonMaximumSuppression(boxes: readonly FaceBox[], iouThreshold: number, maxBoxes: number): FaceBox[] {
  const sorted = boxes.filter((b) => b.x2 > b.x1 && b.y2 > b.y1).sort((a, b) => b.score - a.score);
  const kept: FaceBox[] = [];
  for (const box of sorted) {
    if (kept.length >= maxBoxes) break;
    if (kept.every((k) => iou(k, box) <= iouThreshold)) kept.push(box);
  }
  return kept;
}

/** Square around the centre with side = height (the landmark and liveness crops assume it), clipped to the frame. */
export function squareBox(box: FaceBox, width: number, height: number): FaceBox {
  const side = box.y2 - box.y1;
  const cx = (box.x1 + box.x2) / 2;
  const cy = (box.y1 + box.y2) / 2;
  return {
    x1: Math.max(0, cx - side / 2),
    y1: Math.max(0, cy - side / 2),
    x2: Math.min(width - 1, cx + side / 2),
    y2: Math.min(height - 1, cy + side / 2),
    score: box.score,
  };
}
