import { Tensor, InferenceSession } from 'onnxruntime-node';
import { FaceBox, Point } from '@smilepay/biometrics/domain';
import { RgbImage } from '../image/rgb-image';
import { rectToAffine, toGrey, warpRgb } from '../image/image-ops';

const SIZE = 64;
/**
 * 2x2 bilinear supersamples per crop pixel, not up to 4x4: the crop runs on every frame, and on the evaluation set
 * (docs/MODELS.md section 7, re-run 2026-12-07) the coarser filter moved no decision (smile gains by at most 0.3
 * points, genuine and impostor cosines by 0.001) at a quarter of the resampling cost.
 */
const LANDMARK_SUPERSAMPLES = 2;

/** 68 landmarks from a 64x64 grey crop of the (square, clipped) box; outputs are normalised to the crop. */
export async function predictLandmarks(session: InferenceSession, image: RgbImage, box: FaceBox): Promise<Point[]> {
  const w = box.x2 - box.x1;
  const h = box.y2 - box.y1;
  const crop = toGrey(warpRgb(image, rectToAffine(box.x1, box.y1, w, h, SIZE, SIZE), SIZE, SIZE, 0, LANDMARK_SUPERSAMPLES));
  const data = new Float32Array(SIZE * SIZE);
  for (let i = 0; i < data.length; i++) data[i] = crop.data[i] / 256;
  const output = await session.run({ input: new Tensor('float32', data, [1, 1, SIZE, SIZE]) });
  const flat = output['output'].data as Float32Array;
  const points: Point[] = [];
  for (let i = 0; i < 68; i++) points.push({ x: box.x1 + flat[i * 2] * w, y: box.y1 + flat[i * 2 + 1] * h });
  return points;
}
