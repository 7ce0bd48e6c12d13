import { defaultImageDir, defaultModelDir } from '../lib/models/model-manifest';
import { FaceModels, loadModels } from '../lib/models/load-models';
import { RgbImage } from '../lib/image/rgb-image';
import { readCachedImage, singleFaceFrames } from '../lib/evaluation/evaluation-images';
import { FacePipeline } from '../lib/pipeline/face-pipeline';

/**
 * Real models and real images for specs. jest's globalSetup (global-setup.js) has already fetched and verified
 * them; if it could not, loadModels fails with "run `npm run models`".
 */
export async function loadTestModels(): Promise<FaceModels> {
  return loadModels({ modelDir: defaultModelDir(), intraOpThreads: 1 });
}

export function testImage(file: string): Promise<RgbImage> {
  return readCachedImage(defaultImageDir(), file);
}

/** A 640x480 terminal frame of one real face: face `index` of face-api's sample`sample`.jpg, others greyed out. */
export async function terminalFrameFromSample(pipeline: FacePipeline, sample: number, index: number): Promise<RgbImage> {
  const frames = await singleFaceFrames(await testImage(`sample${sample}.jpg`), (image) => pipeline.detect(image));
  return frames[index];
}
