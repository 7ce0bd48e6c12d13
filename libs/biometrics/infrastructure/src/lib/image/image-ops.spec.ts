import { createRgbImage, RgbImage } from './rgb-image';
import { Affine, rectToAffine, toChw, warpRgb } from './image-ops';

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

  it('gives axis-aligned crops (the landmark, pose and liveness crops) exactly the reference bilinear supersampling', () => {
    for (const [x, y, w, h, ow, oh] of [[10.3, 5.7, 30.2, 30.2, 16, 16], [-6.5, -4.25, 80, 80, 24, 24], [3, 2, 20.4, 20.4, 32, 32]]) {
      const map = rectToAffine(x, y, w, h, ow, oh);
      expect(Array.from(warpRgb(src, map, ow, oh, 127).data)).toEqual(Array.from(referenceWarp(src, map, ow, oh, 127).data));
    }
  });

  it('gives rotated maps (the aligned face) exactly the reference bilinear supersampling, border samples included', () => {
    const cases: Array<[Affine, number, number]> = [
      [[1.7 * Math.cos(0.3), -1.7 * Math.sin(0.3), 12.2, 1.7 * Math.sin(0.3), 1.7 * Math.cos(0.3), -3.4], 28, 28],
      [[0.6, 0.2, -5.5, -0.2, 0.6, 8.25], 40, 30],
      [[3.1, -0.4, 2, 0.4, 3.1, 1], 16, 12],
    ];
    for (const [map, w, h] of cases) {
      expect(Array.from(warpRgb(src, map, w, h, 127).data)).toEqual(Array.from(referenceWarp(src, map, w, h, 127).data));
    }
  });

  it('gives the integer-shrink paths, inside the frame and across its border, exactly the reference', () => {
    for (const [map, w, h] of [
      [[2, 0, 0.5, 0, 2, 0.5], 32, 24],
      [[2, 0, 2.5, 0, 2, 4.5], 20, 10],
      [[2, 0, -7.5, 0, 2, 0.5], 40, 24],
      [[4, 0, 1.5, 0, 4, 1.5], 16, 12],
    ] as Array<[Affine, number, number]>) {
      expect(Array.from(warpRgb(src, map, w, h, 127).data)).toEqual(Array.from(referenceWarp(src, map, w, h, 127).data));
    }
  });

  it('caps the supersamples per axis at maxSupersamples (the landmark, pose and liveness crops use fewer)', () => {
    const map = rectToAffine(3.3, 2.1, 52.7, 40.2, 13, 10);
    for (const cap of [1, 2, 3]) {
      expect(Array.from(warpRgb(src, map, 13, 10, 127, cap).data)).toEqual(Array.from(referenceWarp(src, map, 13, 10, 127, cap).data));
    }
    expect(Array.from(warpRgb(src, map, 13, 10, 127, 1).data)).not.toEqual(Array.from(warpRgb(src, map, 13, 10, 127).data));
  });
});

describe('toChw', () => {
  it('writes (v - mean) * scale plane by plane, in RGB or BGR order', () => {
    const image = texture(5, 3);
    for (const bgr of [false, true]) {
      const out = toChw(image, [1, 2, 3], [0.5, 0.25, 2], bgr);
      for (let c = 0; c < 3; c++) {
        for (let i = 0; i < 15; i++) {
          const v = image.data[i * 3 + (bgr ? 2 - c : c)];
          expect(out[c * 15 + i]).toBe(Math.fround((v - [1, 2, 3][c]) * [0.5, 0.25, 2][c]));
        }
      }
    }
  });
});

/** The definition warpRgb implements, written plainly: n x n bilinear supersamples per output pixel. */
function referenceWarp(image: RgbImage, m: Affine, outW: number, outH: number, fill: number, maxSupersamples = 4): RgbImage {
  const [a, b, c, d, e, f] = m;
  const n = Math.min(maxSupersamples, Math.max(1, Math.ceil(Math.max(Math.hypot(a, d), Math.hypot(b, e)))));
  const out = createRgbImage(outW, outH, 0);
  const px = (x: number, y: number, ch: number) => (x < 0 || y < 0 || x >= image.width || y >= image.height ? fill : image.data[(y * image.width + x) * 3 + ch]);
  for (let v = 0; v < outH; v++) {
    for (let u = 0; u < outW; u++) {
      const acc = [0, 0, 0];
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          const ou = u + (i + 0.5) / n - 0.5;
          const ov = v + (j + 0.5) / n - 0.5;
          const sx = a * ou + b * ov + c;
          const sy = d * ou + e * ov + f;
          const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
          const [fx, fy] = [sx - x0, sy - y0];
          for (let ch = 0; ch < 3; ch++) {
            acc[ch] += px(x0, y0, ch) * ((1 - fx) * (1 - fy)) + px(x0 + 1, y0, ch) * (fx * (1 - fy)) + px(x0, y0 + 1, ch) * ((1 - fx) * fy) + px(x0 + 1, y0 + 1, ch) * (fx * fy);
          }
        }
      }
      for (let ch = 0; ch < 3; ch++) out.data[(v * outW + u) * 3 + ch] = Math.round(acc[ch] / (n * n));
    }
  }
  return out;
}

