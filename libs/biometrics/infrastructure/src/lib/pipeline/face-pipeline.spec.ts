import { cosineSimilarity } from '@smilepay/biometrics/domain';
import { FaceModels } from '../models/load-models';
import { FaceAnalysis, FaceAnalysisError, FacePipeline } from './face-pipeline';
import { createRgbImage, RgbImage } from '../image/rgb-image';
import { rectToAffine, warpRgb } from '../image/image-ops';
import { facematchCell, singleFaceFrames } from '../evaluation/evaluation-images';
import { loadTestModels, testImage } from '../../testing/test-assets';

/** An out-of-focus camera: shrink 6x (area-averaged) and enlarge back (bilinear). */
function blur(image: RgbImage): RgbImage {
  const w = Math.round(image.width / 6);
  const h = Math.round(image.height / 6);
  const small = warpRgb(image, rectToAffine(0, 0, image.width, image.height, w, h), w, h);
  return warpRgb(small, rectToAffine(0, 0, w, h, image.width, image.height), image.width, image.height);
}

async function expectAnalysisError(promise: Promise<FaceAnalysis>, code: FaceAnalysisError['code']): Promise<FaceAnalysisError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FaceAnalysisError);
    expect((error as FaceAnalysisError).code).toBe(code);
    return error as FaceAnalysisError;
  }
  throw new Error(`expected ${code}`);
}

describe('FacePipeline on real images', () => {
  let models: FaceModels;
  let pipeline: FacePipeline;
  let manFrame: RgbImage;
  let man: FaceAnalysis;

  beforeAll(async () => {
    models = await loadTestModels();
    pipeline = new FacePipeline(models);
    [manFrame] = await singleFaceFrames(await testImage('screenshot-faceid.jpg'), (image) => pipeline.detect(image));
    man = await pipeline.analyze(manFrame);
  });
  afterAll(() => models?.release());

  describe('detection', () => {
    it('finds exactly one face on a single-face frame and returns the full analysis', () => {
      expect(man.facesDetected).toBe(1);
      expect(man.box.score).toBeGreaterThan(0.9);
      expect(man.landmarks68).toHaveLength(68);
      expect(man.embedding).toHaveLength(512);
      expect(Math.hypot(...man.embedding)).toBeCloseTo(1, 4);
      expect(man.rgbLivenessScore).toBeGreaterThanOrEqual(0);
      expect(man.rgbLivenessScore).toBeLessThanOrEqual(1);
      expect(man.modelVersions['fr_detect']).toContain('fr_detect.onnx');
      expect(man.timingsMs.totalMs).toBeGreaterThan(0);
    });

    it('splits into track (per frame) and describe (expensive models) with the same result as analyze', async () => {
      const track = await pipeline.track(manFrame);
      expect(track.box).toEqual(man.box);
      expect(track.landmarks68).toEqual(man.landmarks68);
      expect(track.mouth).toEqual(man.mouth);
      const described = await pipeline.describe(manFrame, track);
      expect(Array.from(described.embedding)).toEqual(Array.from(man.embedding));
      expect(described.quality).toEqual(man.quality);
      const { embedding } = await pipeline.embed(manFrame, track);
      expect(Array.from(embedding)).toEqual(Array.from(man.embedding));
    });

    it('tracks from a carried box without the detector: on a still frame the box and landmarks stay put', async () => {
      const first = await pipeline.track(manFrame);
      expect(first.detected).toBe(true);
      for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(first.carry.box[k]).toBeCloseTo(first.box[k], 6);
      const next = await pipeline.track(manFrame, first.carry);
      expect(next.detected).toBe(false);
      expect(next.timingsMs.detectMs).toBe(0);
      expect(next.box.score).toBe(first.box.score);
      next.landmarks68.forEach((p, i) => {
        expect(Math.abs(p.x - first.landmarks68[i].x)).toBeLessThan(0.01);
        expect(Math.abs(p.y - first.landmarks68[i].y)).toBeLessThan(0.01);
      });
    });

    it('follows a moving face with the carried box, and detects again when the carried box leaves the frame', async () => {
      const first = await pipeline.track(manFrame);
      // The face moved 12 px right and 6 px down since the carried landmarks were read.
      const moved = warpRgb(manFrame, [1, 0, -12, 0, 1, -6], manFrame.width, manFrame.height, 127);
      const followed = await pipeline.track(moved, (await pipeline.track(moved, first.carry)).carry);
      expect(followed.detected).toBe(false);
      // The box moved with the face (the detector's own box jitters by a few pixels too).
      expect(Math.abs(followed.box.x1 - first.box.x1 - 12)).toBeLessThan(4);
      expect(Math.abs(followed.box.y1 - first.box.y1 - 6)).toBeLessThan(4);
      expect(Math.abs(followed.landmarks68[30].x - first.landmarks68[30].x - 12)).toBeLessThan(1.5);
      const offFrame = { ...first.carry, box: { ...first.carry.box, x1: -400, x2: -400 + (first.box.x2 - first.box.x1) } };
      expect((await pipeline.track(manFrame, offFrame)).detected).toBe(true);
      await expect(pipeline.track(createRgbImage(640, 480, 127), offFrame)).rejects.toMatchObject({ code: 'no_face' });
    });

    it('puts the landmarks on the face: eyes above the nose above the mouth, inside the box', () => {
      const [eyeY, noseY, mouthY] = [man.landmarks68[37].y, man.landmarks68[30].y, man.landmarks68[51].y];
      expect(eyeY).toBeLessThan(noseY);
      expect(noseY).toBeLessThan(mouthY);
      for (const p of man.landmarks68) {
        expect(p.x).toBeGreaterThan(man.box.x1 - 10);
        expect(p.x).toBeLessThan(man.box.x2 + 10);
      }
    });

    it('finds no face on a blank frame, and analyze says no_face', async () => {
      const blank = createRgbImage(640, 480, 127);
      expect(await pipeline.detect(blank)).toEqual([]);
      await expectAnalysisError(pipeline.analyze(blank), 'no_face');
    });

    it('finds several faces on a group photo, and analyze refuses it as multiple_faces', async () => {
      const group = await testImage('sample4.jpg');
      expect((await pipeline.detect(group)).length).toBe(4);
      const error = await expectAnalysisError(pipeline.analyze(group), 'multiple_faces');
      expect(error.faces.length).toBeGreaterThanOrEqual(2);
    });

    it('ignores a much smaller face in the background', async () => {
      const frame = createRgbImage(1280, 720, 127);
      const big = warpRgb(manFrame, [1, 0, 0, 0, 1, 0], 640, 480, 127);
      const small = warpRgb(manFrame, [2.5, 0, 0, 0, 2.5, 0], 256, 192, 127);
      for (let y = 0; y < 480; y++) frame.data.set(big.data.subarray(y * 640 * 3, (y + 1) * 640 * 3), ((y + 100) * 1280 + 50) * 3);
      for (let y = 0; y < 192; y++) frame.data.set(small.data.subarray(y * 256 * 3, (y + 1) * 256 * 3), ((y + 50) * 1280 + 960) * 3);
      const analysis = await pipeline.analyze(frame);
      expect(analysis.facesDetected).toBe(2);
      await expectAnalysisError(new FacePipeline(models, { secondaryFaceMinRatio: 0 }).analyze(frame), 'multiple_faces');
    });
  });

  describe('embedding', () => {
    it('scores photos of the same man well above photos of other people', async () => {
      const grid = await testImage('screenshot-facematch.jpg');
      const sameMan = await Promise.all([0, 1, 2].map((column) => pipeline.analyze(facematchCell(grid, 0, column))));
      // Three of the women's crops in screenshot-facedetect.jpg (x = 163, 320, 477).
      const facedetect = await testImage('screenshot-facedetect.jpg');
      const others = await Promise.all([163, 320, 477].map((x) => pipeline.analyze(warpRgb(facedetect, [1, 0, x - 20, 0, 1, 330], 200, 200, 127))));
      const genuine = sameMan.map((a) => cosineSimilarity(man.embedding, a.embedding));
      const impostor = others.map((a) => cosineSimilarity(man.embedding, a.embedding));
      expect(Math.min(...genuine)).toBeGreaterThan(0.45);
      expect(Math.max(...impostor)).toBeLessThan(0.3);
    });

    it('is deterministic for the same frame', async () => {
      const again = await pipeline.analyze(manFrame);
      expect(cosineSimilarity(again.embedding, man.embedding)).toBeCloseTo(1, 6);
    });
  });

  describe('quality gate', () => {
    it('passes a sharp, well exposed, frontal terminal frame', () => {
      expect(man.quality.reasons).toEqual([]);
      expect(man.quality.passed).toBe(true);
      expect(Math.abs(man.quality.metrics.yawDeg)).toBeLessThan(15);
    });

    it('flags a blurred frame with its Laplacian variance', async () => {
      const blurred = await pipeline.analyze(blur(manFrame));
      expect(blurred.quality.passed).toBe(false);
      expect(blurred.quality.reasons.join(' ')).toContain('blurry');
      expect(blurred.quality.metrics.sharpness).toBeLessThan(man.quality.metrics.sharpness);
    });

    it('flags a dark frame', async () => {
      const dark = { ...manFrame, data: manFrame.data.map((v) => Math.round(v * 0.25)) };
      const analysis = await pipeline.analyze(dark);
      expect(analysis.quality.reasons.join(' ')).toContain('too_dark');
    });

    it('flags a face that is too small', async () => {
      const small = await pipeline.analyze(facematchCell(await testImage('screenshot-facematch.jpg'), 0, 0));
      expect(small.quality.reasons.join(' ')).toContain('face_too_small');
    });
  });

  it('refuses a bad secondaryFaceMinRatio', () => {
    expect(() => new FacePipeline(models, { secondaryFaceMinRatio: 2 })).toThrow(RangeError);
  });
});
