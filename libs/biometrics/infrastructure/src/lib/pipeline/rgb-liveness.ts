import { Tensor, InferenceSession } from 'onnxruntime-node';
import { FaceBox } from '@smilepay/biometrics/domain';
import { RgbImage } from '../image/rgb-image';
import { rectToAffine, toChw, warpRgb } from '../image/image-ops';

const SIZE = 128;
const CONTEXT_SCALE = 2.7;
/**
 * 2x2 bilinear supersamples per crop pixel rather than up to 4x4: a quarter of the cost on the probe frame; the
 * evaluation (docs/MODELS.md section 7, 2026-12-07) decided the same. The score does not gate by default (section 5).
 */
const LIVENESS_SUPERSAMPLES = 2;

/**
 * Passive RGB liveness (fr_liveness): softmax over 3 classes, class 0 = live. The crop reproduces the package's
 * own: a square 2.7x the box, shrunk to fit and shifted inside the frame. Weak: see docs/MODELS.md.
 */
export async function predictRgbLiveness(session: InferenceSession, image: RgbImage, box: FaceBox): Promise<{ live: number; probabilities: number[] }> {
  const rect = contextRect(box, image.width, image.height, CONTEXT_SCALE);
  const crop = warpRgb(image, rectToAffine(rect.x, rect.y, rect.w, rect.h, SIZE, SIZE), SIZE, SIZE, 0, LIVENESS_SUPERSAMPLES);
  const output = await session.run({ input: new Tensor('float32', toChw(crop, [0, 0, 0], [1, 1, 1]), [1, 3, SIZE, SIZE]) });
  const probabilities = softmax(Array.from(output['output'].data as Float32Array));
  return { live: probabilities[0], probabilities };
}

export function contextRect(box: FaceBox, width: number, height: number, scaleWanted: number): { x: number; y: number; w: number; h: number } {
  const bw = box.x2 - box.x1;
  const bh = box.y2 - box.y1;
  const scale = Math.min((height - 1) / bh, (width - 1) / bw, scaleWanted);
  const w = bw * scale;
  const h = bh * scale;
  const cx = box.x1 + bw / 2;
  const cy = box.y1 + bh / 2;
  const x = Math.min(Math.max(0, cx - w / 2), width - 1 - w);
  const y = Math.min(Math.max(0, cy - h / 2), height - 1 - h);
  return { x, y, w, h };
}

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}
