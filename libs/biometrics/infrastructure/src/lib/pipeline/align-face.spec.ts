import { applyAffine, invertAffine, rectToAffine, warpRgb } from '../image/image-ops';
import { createRgbImage } from '../image/rgb-image';
import { ARCFACE_TEMPLATE_112, similarityTransform } from './align-face';

describe('similarityTransform', () => {
  it('recovers a known rotation, scale and translation exactly', () => {
    const angle = 0.3;
    const scale = 2.5;
    const truth = (p: { x: number; y: number }) => ({
      x: scale * (Math.cos(angle) * p.x - Math.sin(angle) * p.y) + 40,
      y: scale * (Math.sin(angle) * p.x + Math.cos(angle) * p.y) - 7,
    });
    const from = ARCFACE_TEMPLATE_112;
    const m = similarityTransform(from, from.map(truth));
    for (const p of from) {
      const mapped = applyAffine(m, p.x, p.y);
      expect(mapped.x).toBeCloseTo(truth(p).x, 9);
      expect(mapped.y).toBeCloseTo(truth(p).y, 9);
    }
  });

  it('never shears: both axes keep the same scale', () => {
    const m = similarityTransform(
      [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 0, y: 30 },
      ],
      [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 0, y: 10 },
      ],
    );
    expect(Math.hypot(m[0], m[3])).toBeCloseTo(Math.hypot(m[1], m[4]), 12);
  });

  it('refuses coincident points', () => {
    expect(() => similarityTransform([{ x: 1, y: 1 }, { x: 1, y: 1 }], ARCFACE_TEMPLATE_112.slice(0, 2))).toThrow(RangeError);
  });
});

describe('image ops', () => {
  it('inverts an affine map', () => {
    const m = [2, 0.5, 3, -0.5, 2, 1] as const;
    const back = applyAffine(invertAffine(m), ...(Object.values(applyAffine(m, 5, 7)) as [number, number]));
    expect(back.x).toBeCloseTo(5, 9);
    expect(back.y).toBeCloseTo(7, 9);
  });

  it('averages when shrinking and fills outside the source', () => {
    const checker = createRgbImage(8, 8);
    for (let i = 0; i < 64; i++) checker.data.fill(((i % 8) + Math.floor(i / 8)) % 2 ? 255 : 0, i * 3, i * 3 + 3);
    const shrunk = warpRgb(checker, rectToAffine(0, 0, 8, 8, 2, 2), 2, 2);
    for (const v of shrunk.data) expect(Math.abs(v - 127.5)).toBeLessThan(20);
    const outside = warpRgb(checker, [1, 0, 100, 0, 1, 100], 2, 2, 42);
    expect(Array.from(outside.data)).toEqual(new Array(12).fill(42));
  });
});
