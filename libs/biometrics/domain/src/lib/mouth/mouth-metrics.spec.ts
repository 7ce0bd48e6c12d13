import { FIXTURE_LANDMARKS, mapLandmarks } from '../../testing/face-fixture';
import { mouthMetrics } from './mouth-metrics';
import { interOcularDistance, fivePoints, LANDMARK } from '../geometry/face-geometry';

function rotate(deg: number, cx = 320, cy = 240) {
  const a = (deg * Math.PI) / 180;
  return (p: { x: number; y: number }) => ({
    x: cx + (p.x - cx) * Math.cos(a) - (p.y - cy) * Math.sin(a),
    y: cy + (p.x - cx) * Math.sin(a) + (p.y - cy) * Math.cos(a),
  });
}

/** Moves the outer and inner mouth corners outwards by `out` px and up by `up` px. */
function smile(out: number, up: number) {
  return (p: { x: number; y: number }, i: number) => {
    if (i === LANDMARK.mouthCornerRight || i === LANDMARK.innerMouthCornerRight) return { x: p.x - out, y: p.y - up };
    if (i === LANDMARK.mouthCornerLeft || i === LANDMARK.innerMouthCornerLeft) return { x: p.x + out, y: p.y - up };
    return p;
  };
}

describe('mouthMetrics', () => {
  const neutral = mouthMetrics(FIXTURE_LANDMARKS);

  it('normalises by the inter-ocular distance of the real landmark layout', () => {
    expect(neutral.interOcularPx).toBeCloseTo(interOcularDistance(FIXTURE_LANDMARKS), 9);
    expect(neutral.mouthWidthRatio).toBeGreaterThan(0.6);
    expect(neutral.mouthWidthRatio).toBeLessThan(1.2);
  });

  it('does not change when the head rolls or moves closer', () => {
    const rolled = mouthMetrics(mapLandmarks(FIXTURE_LANDMARKS, rotate(25)));
    const closer = mouthMetrics(mapLandmarks(FIXTURE_LANDMARKS, (p) => ({ x: p.x * 1.7, y: p.y * 1.7 })));
    for (const m of [rolled, closer]) {
      expect(m.mouthWidthRatio).toBeCloseTo(neutral.mouthWidthRatio, 9);
      expect(m.cornerLiftRatio).toBeCloseTo(neutral.cornerLiftRatio, 9);
    }
  });

  it('rises in width and corner lift when the corners move out and up', () => {
    const smiling = mouthMetrics(mapLandmarks(FIXTURE_LANDMARKS, smile(8, 6)));
    expect(smiling.mouthWidthRatio).toBeGreaterThan(neutral.mouthWidthRatio + 0.1);
    expect(smiling.cornerLiftRatio).toBeGreaterThan(neutral.cornerLiftRatio + 0.05);
  });

  it('refuses a landmark set of the wrong size', () => {
    expect(() => mouthMetrics(FIXTURE_LANDMARKS.slice(0, 67))).toThrow(RangeError);
  });

  it('exposes the 5 alignment points in template order (image-left eye first)', () => {
    const five = fivePoints(FIXTURE_LANDMARKS);
    expect(five.eyeRight.x).toBeLessThan(five.eyeLeft.x);
    expect(five.mouthRight.x).toBeLessThan(five.mouthLeft.x);
    expect(five.nose.y).toBeGreaterThan(five.eyeRight.y);
  });
});
