import { SmileChallenge, depthLiveness, interOcularDistance } from '@smilepay/biometrics/domain';
import { FaceModels } from '../models/load-models';
import { FaceAnalysis, FacePipeline } from '../pipeline/face-pipeline';
import { RgbImage } from '../image/rgb-image';
import { decodeDepth, encodeDepthPng } from '../frames/decode-frame';
import { singleFaceFrames } from '../evaluation/evaluation-images';
import { runSyntheticPresentation } from '../evaluation/synthetic-presentation';
import { loadTestModels, terminalFrameFromSample, testImage } from '../../testing/test-assets';
import { SYNTHETIC_DEPTH_KINDS, SyntheticDepthKind, synthesizeDepth } from './synthetic-depth';
import { synthesizeSmileSequence } from './synthetic-smile';

const EXPECTED_DEPTH: Record<SyntheticDepthKind, string> = {
  genuine: 'genuine',
  mask: 'genuine',
  flat: 'flat',
  screen: 'screen',
  bent: 'bent',
};

describe('SYNTHETIC presentations on real faces', () => {
  let models: FaceModels;
  let pipeline: FacePipeline;
  let frame: RgbImage;
  let face: FaceAnalysis;

  beforeAll(async () => {
    models = await loadTestModels();
    pipeline = new FacePipeline(models);
    [frame] = await singleFaceFrames(await testImage('screenshot-faceid.jpg'), (image) => pipeline.detect(image));
    face = await pipeline.analyze(frame);
  });
  afterAll(() => models?.release());

  describe('synthetic depth through depthLiveness', () => {
    it.each(SYNTHETIC_DEPTH_KINDS.flatMap((kind) => [1, 2].map((seed) => [kind, seed] as const)))(
      '%s depth (seed %i) is classified as expected',
      (kind, seed) => {
        const depth = synthesizeDepth(kind, face.box, face.landmarks68, frame, { seed });
        const result = depthLiveness(depth.data, depth.width, depth.height, face.box, face.landmarks68);
        expect(result.classification).toBe(EXPECTED_DEPTH[kind]);
      },
    );

    it('renders genuine relief of 2–4 cm from nose tip to cheeks at a plausible distance', () => {
      const depth = synthesizeDepth('genuine', face.box, face.landmarks68, frame, { seed: 3 });
      const result = depthLiveness(depth.data, depth.width, depth.height, face.box, face.landmarks68);
      expect(result.metrics.noseProtrusionMm).toBeGreaterThan(18);
      expect(result.metrics.noseProtrusionMm).toBeLessThan(45);
      // medianDistanceMm is measured at the nose tip, which stands 18–30 mm in front of the face plane.
      const faceDistanceMm = (600 * 63) / interOcularDistance(face.landmarks68);
      expect(result.metrics.medianDistanceMm).toBeGreaterThan(faceDistanceMm - 35);
      expect(result.metrics.medianDistanceMm).toBeLessThan(faceDistanceMm - 10);
    });

    it('survives the wire format: 16-bit PNG out of the simulator, decodeDepth in the gateway', () => {
      const depth = synthesizeDepth('bent', face.box, face.landmarks68, frame, { seed: 4 });
      const decoded = decodeDepth(encodeDepthPng(depth), frame);
      expect(decoded.data).toEqual(depth.data);
      expect(depthLiveness(decoded.data, decoded.width, decoded.height, face.box, face.landmarks68).classification).toBe('bent');
    });

    it('is reproducible for a seed and different across seeds', () => {
      const a = synthesizeDepth('genuine', face.box, face.landmarks68, frame, { seed: 9 });
      const b = synthesizeDepth('genuine', face.box, face.landmarks68, frame, { seed: 9 });
      const c = synthesizeDepth('genuine', face.box, face.landmarks68, frame, { seed: 10 });
      expect(a.data).toEqual(b.data);
      expect(a.data).not.toEqual(c.data);
    });
  });

  describe('smile sequences through the real landmark model and SmileChallenge', () => {
    async function challenge(kind: 'genuine' | 'still' | 'rigid_mask') {
      const sequence = synthesizeSmileSequence(frame, face.landmarks68, kind, { frames: 8 });
      const smile = new SmileChallenge();
      for (const step of sequence) smile.push({ timestampMs: step.timestampMs, metrics: (await pipeline.analyze(step.image)).mouth });
      return smile.result(sequence[0].timestampMs + 5000);
    }

    it('passes a genuine neutral-to-smile warp of the real pixels', async () => {
      const result = await challenge('genuine');
      expect(result.status).toBe('passed');
      expect(result.peakWidthGainRatio).toBeGreaterThan(0.05);
    });

    it.each(['still', 'rigid_mask'] as const)('fails a %s presentation (no expression change)', async (kind) => {
      const result = await challenge(kind);
      expect(result.status).toBe('failed');
      expect(result.peakWidthGainRatio).toBeLessThan(0.04);
    });
  });

  describe('end to end: synthetic presentation → real pipeline → fuseLiveness', () => {
    let liveFrame: RgbImage;
    beforeAll(async () => {
      // A group-photo face that passes the quality gate and that the weak RGB model scores as live.
      liveFrame = await terminalFrameFromSample(pipeline, 3, 0);
    });

    it('says live for a bona fide presentation', async () => {
      const outcome = await runSyntheticPresentation(pipeline, liveFrame, 'bona_fide', { frames: 8 });
      expect(outcome.verdict.verdict).toBe('live');
      expect(outcome.verdict.scores.fused).toBeGreaterThan(0.55);
    });

    it.each(['print', 'screen_replay', 'bent_print', 'rigid_mask'] as const)('says spoof with species %s', async (species) => {
      const outcome = await runSyntheticPresentation(pipeline, liveFrame, species, { frames: 8 });
      expect(outcome.verdict.verdict).toBe('spoof');
      expect(outcome.verdict.attackSpecies).toBe(species);
    });
  });
});
