import { Tensor, InferenceSession } from 'onnxruntime-node';
import { FaceBox } from '@smilepay/biometrics/domain';
import { RgbImage } from '../image/rgb-image';
import { rectToAffine, toChw, warpRgb } from '../image/image-ops';
import { softmax } from './rgb-liveness';

const SIZE = 224;
/**
 * Plain bilinear (no supersampling): the crop shrinks a face by only about 1.5x into 224 px, where aliasing is
 * small, and the probe's pose gate decided the same on the evaluation set (docs/MODELS.md section 7, 2026-12-07).
 */
const POSE_SUPERSAMPLES = 1;

export interface HeadPose {
  readonly yawDeg: number;
  readonly pitchDeg: number;
  readonly rollDeg: number;
}

/** Hopenet-style head pose (fr_pose): 66 bins of 3 degrees per angle, expectation over the softmax, minus 99. */
export async function predictHeadPose(session: InferenceSession, image: RgbImage, box: FaceBox): Promise<HeadPose> {
  const w = box.x2 - box.x1;
  const h = box.y2 - box.y1;
  const x1 = Math.max(0, box.x1 - w / 4);
  const y1 = Math.max(0, box.y1 - h / 4);
  const x2 = Math.min(image.width, box.x2 + w / 4);
  const y2 = Math.min(image.height, box.y2 + h / 4);
  const crop = warpRgb(image, rectToAffine(x1, y1, x2 - x1, y2 - y1, SIZE, SIZE), SIZE, SIZE, 0, POSE_SUPERSAMPLES);
  const mean = [0.485 * 255, 0.456 * 255, 0.406 * 255];
  const scale = [1 / (0.229 * 255), 1 / (0.224 * 255), 1 / (0.225 * 255)];
  const output = await session.run({ input: new Tensor('float32', toChw(crop, mean, scale), [1, 3, SIZE, SIZE]) });
  const angle = (name: string) => {
    const p = softmax(Array.from(output[name].data as Float32Array));
    return p.reduce((sum, v, i) => sum + v * i, 0) * 3 - 99;
  };
  const [yaw, pitch, roll] = session.outputNames;
  return { yawDeg: angle(yaw), pitchDeg: angle(pitch), rollDeg: angle(roll) };
}
