import { FIXTURE_BOX, FIXTURE_FRAME, FIXTURE_LANDMARKS } from '../../testing/face-fixture';
import { interOcularDistance, LANDMARK } from '../geometry/face-geometry';
import { depthLiveness } from './depth-liveness';
import { DEFAULT_DEPTH_LIVENESS_CONFIG, validateDepthLivenessConfig } from './depth-liveness-config';
import { LivenessConfigError } from '../liveness-fusion/config-error';

const { width, height } = FIXTURE_FRAME;
const nose = FIXTURE_LANDMARKS[LANDMARK.noseTip];
const mmPerPx = 63 / interOcularDistance(FIXTURE_LANDMARKS);
const DISTANCE_MM = 450;

/** Deterministic ±1 mm noise (a hash of the pixel index), so the surfaces are not unrealistically perfect. */
function noise(i: number): number {
  const h = Math.sin(i * 12.9898) * 43758.5453;
  return (h - Math.floor(h)) * 2 - 1;
}

function render(surface: (xMm: number, yMm: number) => number, drop: (x: number, y: number) => boolean = () => false): Uint16Array {
  const depth = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (drop(x, y)) continue;
      const z = surface((x - nose.x) * mmPerPx, (y - nose.y) * mmPerPx);
      depth[y * width + x] = Number.isFinite(z) ? Math.round(z + noise(y * width + x)) : 0;
    }
  }
  return depth;
}

const plane = (x: number, y: number) => DISTANCE_MM + 0.2 * x - 0.1 * y;
const cylinder = (r: number) => (x: number) => DISTANCE_MM + r - Math.sqrt(r * r - x * x);
/** Head-like: cheeks fall back 45 mm at 75 mm from the nose, forehead/chin 15 mm, a 25 mm nose bump. */
const face = (noseMm: number) => (x: number, y: number) =>
  DISTANCE_MM + 45 * (x / 75) ** 2 + 15 * (y / 90) ** 2 - noseMm * Math.exp(-(x * x) / (2 * 12 * 12) - ((y + 10) ** 2) / (2 * 25 * 25));

const check = (depth: Uint16Array) => depthLiveness(depth, width, height, FIXTURE_BOX, FIXTURE_LANDMARKS);

describe('depthLiveness', () => {
  describe('when the surface is a face', () => {
    it('accepts a 25 mm nose in front of a curved head as genuine', () => {
      const result = check(render(face(25)));
      expect(result.classification).toBe('genuine');
      expect(result.score).toBeGreaterThanOrEqual(0.6);
      expect(result.metrics.noseProtrusionMm).toBeGreaterThan(20);
      expect(result.metrics.noseAboveQuadricMm).toBeGreaterThan(10);
    });

    it('calls a 90 mm nose implausible rather than genuine', () => {
      const result = check(render(face(90)));
      expect(result.classification).toBe('implausible');
      expect(result.reasons.join(' ')).toContain('depth_nose_protrusion');
    });

    it('calls a curved head without a nose implausible (no nose bump)', () => {
      const result = check(render(face(0)));
      expect(['implausible', 'bent']).toContain(result.classification);
      expect(result.score).toBe(0);
    });
  });

  describe('when the surface is a sheet', () => {
    it('classifies a tilted dense plane as flat', () => {
      const result = check(render(plane));
      expect(result.classification).toBe('flat');
      expect(result.metrics.planeRmsMm).toBeLessThan(2);
    });

    it('classifies a plane with large specular holes as a screen', () => {
      const holes = (x: number, y: number) => (x - nose.x) ** 2 + (y - nose.y + 20) ** 2 < 40 ** 2 || (x + y) % 7 === 0;
      const result = check(render(plane, holes));
      expect(result.classification).toBe('screen');
      expect(result.reasons.join(' ')).toContain('specular');
    });

    it('classifies a print bent around a vertical axis as bent, curved along one axis only', () => {
      const result = check(render(cylinder(110)));
      expect(result.classification).toBe('bent');
      expect(Math.abs(result.metrics.curvatureMinorPerM)).toBeLessThan(Math.abs(result.metrics.curvatureMajorPerM) * 0.35);
      expect(result.reasons[0]).toContain('cylinder');
    });

    it('classifies a print bent around a horizontal axis as bent', () => {
      const result = check(render((x, y) => cylinder(110)(y)));
      expect(result.classification).toBe('bent');
    });
  });

  describe('when depth is missing', () => {
    it('decides nothing on an empty frame', () => {
      const result = check(new Uint16Array(width * height));
      expect(result.classification).toBe('insufficient_data');
      expect(result.score).toBe(0);
    });

    it('decides nothing when a non-planar surface is mostly missing', () => {
      const sparse = (x: number, y: number) => (x * 7 + y * 13) % 10 < 8;
      expect(check(render(face(25), sparse)).classification).toBe('insufficient_data');
    });

    it('ignores depth values outside the valid range', () => {
      const result = check(render(() => 60_000));
      expect(result.classification).toBe('insufficient_data');
    });
  });

  it('refuses a depth buffer whose length does not match its size', () => {
    expect(() => depthLiveness(new Uint16Array(10), width, height, FIXTURE_BOX, FIXTURE_LANDMARKS)).toThrow(RangeError);
    expect(() => depthLiveness(new Uint16Array(0), 0, 0, FIXTURE_BOX, FIXTURE_LANDMARKS)).toThrow(RangeError);
  });
});

describe('validateDepthLivenessConfig', () => {
  it('accepts the defaults', () => {
    expect(validateDepthLivenessConfig({ ...DEFAULT_DEPTH_LIVENESS_CONFIG })).toEqual(DEFAULT_DEPTH_LIVENESS_CONFIG);
  });

  it('names the bad field', () => {
    expect(() => validateDepthLivenessConfig({ ...DEFAULT_DEPTH_LIVENESS_CONFIG, gridSize: 2.5 })).toThrow(/depth\.gridSize/);
    expect(() => validateDepthLivenessConfig({ ...DEFAULT_DEPTH_LIVENESS_CONFIG, minNoseProtrusionMm: 80 })).toThrow(/depth\.maxNoseProtrusionMm/);
    try {
      validateDepthLivenessConfig({ ...DEFAULT_DEPTH_LIVENESS_CONFIG, minValidFraction: 'high' });
      throw new Error('expected a LivenessConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(LivenessConfigError);
      expect((error as LivenessConfigError).field).toBe('depth.minValidFraction');
    }
  });
});
