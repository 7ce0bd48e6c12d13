import { createRgbImage, RgbImage } from './rgb-image';
import { Affine, warpRgb } from './image-ops';

/** A frame with structure in every channel, so averaging mistakes show. */
function texture(width: number, height: number): RgbImage {
  const image = createRgbImage(width, height, 0);
  for (let i = 0; i < width * height; i++) {
    image.data[i * 3] = (i * 37) % 256;
    image.data[i * 3 + 1] = (i * 11 + (i % width) * 5) % 256;
    image.data[i * 3 + 2] = Math.floor(i / width) % 256;
  }
  return image;
}

describe('warpRgb', () => {
  const src = texture(64, 48);

  it('shrinks by exactly 2 as the mean of each 2x2 block (the detector letterbox of a 4:3 frame)', () => {
    const out = warpRgb(src, [2, 0, 0.5, 0, 2, 0.5], 32, 24, 127);
    for (const [u, v, c] of [[0, 0, 0], [5, 7, 1], [31, 23, 2]]) {
      const at = (x: number, y: number) => src.data[(y * 64 + x) * 3 + c];
      const mean = (at(2 * u, 2 * v) + at(2 * u + 1, 2 * v) + at(2 * u, 2 * v + 1) + at(2 * u + 1, 2 * v + 1)) / 4;
      expect(out.data[(v * 32 + u) * 3 + c]).toBe(Math.round(mean));
    }
  });

  it('gives the integer-shrink fast path the same pixels as the general bilinear path, padding included', () => {
    // A rotation by a hair takes the general path; at this size it still lands within one level of the box mean.
    const cases: Array<[Affine, number, number]> = [
      [[2, 0, 0.5, 0, 2, 0.5], 32, 24],
      [[2, 0, -7.5, 0, 2, 0.5], 40, 24],
      [[4, 0, 1.5, 0, 4, 1.5], 16, 12],
    ];
    for (const [map, w, h] of cases) {
      const fast = warpRgb(src, map, w, h, 127);
      const general = warpRgb(src, [map[0], 1e-9, map[2], 0, map[4], map[5]], w, h, 127);
      let worst = 0;
      for (let i = 0; i < fast.data.length; i++) worst = Math.max(worst, Math.abs(fast.data[i] - general.data[i]));
      expect(worst).toBeLessThanOrEqual(1);
    }
    const padded = warpRgb(src, [2, 0, -7.5, 0, 2, 0.5], 40, 24, 127);
    expect(Array.from(padded.data.slice(0, 3))).toEqual([127, 127, 127]);
  });
});
