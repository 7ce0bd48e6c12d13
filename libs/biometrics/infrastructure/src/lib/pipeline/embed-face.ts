import { Tensor, InferenceSession } from 'onnxruntime-node';
import { l2Normalize } from '@smilepay/biometrics/domain';
import { RgbImage } from '../image/rgb-image';
import { toChw } from '../image/image-ops';

/** 512-D embedding of an aligned 112x112 face, L2-normalised so a dot product is the cosine. */
export async function embedAlignedFace(session: InferenceSession, aligned: RgbImage, bgr: boolean): Promise<Float32Array> {
  const input = new Tensor('float32', toChw(aligned, [127, 127, 127], [1 / 128, 1 / 128, 1 / 128], bgr), [1, 3, aligned.height, aligned.width]);
  const output = await session.run({ input });
  return l2Normalize(output['output'].data as Float32Array);
}
