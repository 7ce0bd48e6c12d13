import { GreyImage, RgbImage } from './rgb-image';

// Math's functions are bound once per module: under jest's vm sandbox every `Math.x` is a slow global lookup
// (measured 18x slower in the per-pixel loops), and plain Node is unaffected.
const { floor, round, min, max, hypot, ceil, abs } = Math;


/**
 * A 2x3 affine map [a, b, c, d, e, f]: x' = a x + b y + c, y' = d x + e y + f.
 * The warps below take the map from OUTPUT pixel centres to SOURCE coordinates (inverse mapping).
 */
export type Affine = readonly [number, number, number, number, number, number];

export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (abs(det) < 1e-12) throw new RangeError('affine map is singular');
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

export function applyAffine(m: Affine, x: number, y: number): { x: number; y: number } {
  return { x: m[0] * x + m[1] * y + m[2], y: m[3] * x + m[4] * y + m[5] };
}

/** Map from an output grid of outW x outH to the source rectangle (x, y, w, h), pixel centres aligned. */
export function rectToAffine(x: number, y: number, w: number, h: number, outW: number, outH: number): Affine {
  const sx = w / outW;
  const sy = h / outH;
  return [sx, 0, x + 0.5 * sx - 0.5, 0, sy, y + 0.5 * sy - 0.5];
}

/**
 * Resamples an RGB image through an inverse affine map with bilinear interpolation. When the map shrinks the
 * image, each output pixel averages up to 4x4 bilinear samples (`maxSupersamples` per axis, at most 4), so a
 * 1920-px photo shrunk to 320 px does not alias. Pixels that fall outside the source get `fill`.
 */
export function warpRgb(src: RgbImage, toSource: Affine, outW: number, outH: number, fill = 0, maxSupersamples = 4): RgbImage {
  const [a, b, , d, e] = toSource;
  const scale = max(hypot(a, d), hypot(b, e));
  const n = min(4, max(1, maxSupersamples), max(1, ceil(scale)));
  const box = integerBoxOffsets(toSource, n);
  if (box) return boxDownscaleRgb(src, n, box.x, box.y, outW, outH, fill);
  if (b === 0 && d === 0) return axisAlignedWarpRgb(src, toSource, n, outW, outH, fill);
  return generalWarpRgb(src, toSource, n, outW, outH, fill);
}

/**
 * Output coordinate of every supersample along one axis: coordinate[o * n + s] = o + (s + 0.5) / n - 0.5, the same
 * expression, evaluated in the same order, as the reference definition, so precomputing it changes no bit.
 */
function supersampleCoordinates(count: number, n: number): Float64Array {
  const out = new Float64Array(count * n);
  for (let o = 0; o < count; o++) for (let s = 0; s < n; s++) out[o * n + s] = o + (s + 0.5) / n - 0.5;
  return out;
}

/**
 * The general path (rotations: the aligned face). Bilinear taps are inlined with plain local sums (the same
 * expressions in the same order as addBilinear, whose Float64Array accumulator holds the same doubles), and only
 * samples that touch the border go through the bounds-checked helper.
 */
function generalWarpRgb(src: RgbImage, m: Affine, n: number, outW: number, outH: number, fill: number): RgbImage {
  const [a, b, c, d, e, f] = m;
  const { width, height, data } = src;
  const out = new Uint8Array(outW * outH * 3);
  const us = supersampleCoordinates(outW, n);
  const vs = supersampleCoordinates(outH, n);
  const k = n * n;
  const row = width * 3;
  const acc = new Float64Array(3);
  for (let v = 0, o = 0; v < outH; v++) {
    for (let u = 0; u < outW; u++, o += 3) {
      let r = 0;
      let g = 0;
      let bl = 0;
      for (let j = 0; j < n; j++) {
        const ov = vs[v * n + j];
        for (let i = 0; i < n; i++) {
          const ou = us[u * n + i];
          const x = a * ou + b * ov + c;
          const y = d * ou + e * ov + f;
          const x0 = floor(x);
          const y0 = floor(y);
          if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
            const fx = x - x0;
            const fy = y - y0;
            const w00 = (1 - fx) * (1 - fy);
            const w10 = fx * (1 - fy);
            const w01 = (1 - fx) * fy;
            const w11 = fx * fy;
            const i00 = (y0 * width + x0) * 3;
            const i01 = i00 + row;
            r += data[i00] * w00 + data[i00 + 3] * w10 + data[i01] * w01 + data[i01 + 3] * w11;
            g += data[i00 + 1] * w00 + data[i00 + 4] * w10 + data[i01 + 1] * w01 + data[i01 + 4] * w11;
            bl += data[i00 + 2] * w00 + data[i00 + 5] * w10 + data[i01 + 2] * w01 + data[i01 + 5] * w11;
            continue;
          }
          acc[0] = r;
          acc[1] = g;
          acc[2] = bl;
          addBilinear(src, x, y, fill, acc);
          r = acc[0];
          g = acc[1];
          bl = acc[2];
        }
      }
      out[o] = round(r / k);
      out[o + 1] = round(g / k);
      out[o + 2] = round(bl / k);
    }
  }
  return { width: outW, height: outH, data: out };
}

/**
 * When the map is an axis-aligned shrink by exactly n (1, 2 or 4) and every supersample lands on a pixel centre, the
 * bilinear weights are exactly 0 and 1 and warpRgb reduces to an n x n box average. A 640x480 frame letterboxed into
 * the detector's 320x240 is this case. Powers of two keep the sample coordinates exact in floating point, so the box
 * path gives bit-identical output to the general one, at a fraction of the cost.
 */
function integerBoxOffsets(m: Affine, n: number): { x: number; y: number } | null {
  const [a, b, c, d, e, f] = m;
  if (b !== 0 || d !== 0 || a !== n || e !== n || (n !== 1 && n !== 2 && n !== 4)) return null;
  const x = c + 0.5 - n / 2;
  const y = f + 0.5 - n / 2;
  return Number.isInteger(x) && Number.isInteger(y) ? { x, y } : null;
}

/** Output (u, v) = mean of source pixels (n u + ox + i, n v + oy + j), i, j < n; outside pixels count as `fill`. */
function boxDownscaleRgb(src: RgbImage, n: number, ox: number, oy: number, outW: number, outH: number, fill: number): RgbImage {
  const { width, height } = src;
  const inside = ox >= 0 && oy >= 0 && n * outW + ox <= width && n * outH + oy <= height;
  if (inside && n === 2) return boxHalveRgb(src, ox, oy, outW, outH);
  const out = new Uint8Array(outW * outH * 3);
  const { data } = src;
  const k = n * n;
  for (let v = 0; v < outH; v++) {
    for (let u = 0; u < outW; u++) {
      let r = 0;
      let g = 0;
      let bl = 0;
      for (let j = 0; j < n; j++) {
        const y = n * v + oy + j;
        for (let i = 0; i < n; i++) {
          const x = n * u + ox + i;
          if (x < 0 || y < 0 || x >= width || y >= height) {
            r += fill;
            g += fill;
            bl += fill;
            continue;
          }
          const s = (y * width + x) * 3;
          r += data[s];
          g += data[s + 1];
          bl += data[s + 2];
        }
      }
      const o = (v * outW + u) * 3;
      out[o] = round(r / k);
      out[o + 1] = round(g / k);
      out[o + 2] = round(bl / k);
    }
  }
  return { width: outW, height: outH, data: out };
}

/** The 2x2 box entirely inside the source (the detector letterbox of a 4:3 frame): integer sums, no bounds checks. */
function boxHalveRgb(src: RgbImage, ox: number, oy: number, outW: number, outH: number): RgbImage {
  const out = new Uint8Array(outW * outH * 3);
  const { width, data } = src;
  const row = width * 3;
  for (let v = 0, o = 0; v < outH; v++) {
    let s = ((2 * v + oy) * width + ox) * 3;
    for (let u = 0; u < outW; u++, o += 3, s += 6) {
      const t = s + row;
      // (sum + 2) >> 2 is Math.round(sum / 4) for a non-negative integer sum (halves round up), without the division.
      out[o] = (data[s] + data[s + 3] + data[t] + data[t + 3] + 2) >> 2;
      out[o + 1] = (data[s + 1] + data[s + 4] + data[t + 1] + data[t + 4] + 2) >> 2;
      out[o + 2] = (data[s + 2] + data[s + 5] + data[t + 2] + data[t + 5] + 2) >> 2;
    }
  }
  return { width: outW, height: outH, data: out };
}

/**
 * Every supersample along one axis: the first tap's index, its weight `near` (1 - frac), the second tap's weight
 * `far` (frac), and whether both taps are inside the source. Index [o * n + s] for output o, supersample s.
 */
interface AxisSamples {
  readonly start: Int32Array;
  readonly near: Float64Array;
  readonly far: Float64Array;
  readonly inside: Uint8Array;
}

function axisSamples(scale: number, offset: number, n: number, count: number, size: number): AxisSamples {
  const start = new Int32Array(count * n);
  const near = new Float64Array(count * n);
  const far = new Float64Array(count * n);
  const inside = new Uint8Array(count * n);
  for (let o = 0; o < count; o++) {
    for (let s = 0; s < n; s++) {
      const x = scale * (o + (s + 0.5) / n - 0.5) + offset;
      const x0 = floor(x);
      const frac = x - x0;
      start[o * n + s] = x0;
      near[o * n + s] = 1 - frac;
      far[o * n + s] = frac;
      inside[o * n + s] = x0 >= 0 && x0 + 1 < size ? 1 : 0;
    }
  }
  return { start, near, far, inside };
}

/**
 * warpRgb for maps without rotation (every crop: landmarks, pose, liveness). The sample positions and weights along
 * each axis are computed once per column and once per row instead of once per sample; the weights are the same
 * products ((1 - fx) (1 - fy), …) and the bilinear sums the same expressions in the same order as addBilinear, so the
 * output is identical to the general path.
 */
function axisAlignedWarpRgb(src: RgbImage, m: Affine, n: number, outW: number, outH: number, fill: number): RgbImage {
  const out = new Uint8Array(outW * outH * 3);
  const { width, height, data } = src;
  const xs = axisSamples(m[0], m[2], n, outW, width);
  const ys = axisSamples(m[4], m[5], n, outH, height);
  const row = width * 3;
  const k = n * n;
  const acc = new Float64Array(3);
  for (let v = 0, o = 0; v < outH; v++) {
    for (let u = 0; u < outW; u++, o += 3) {
      let r = 0;
      let g = 0;
      let bl = 0;
      for (let j = v * n, jEnd = j + n; j < jEnd; j++) {
        const y0 = ys.start[j];
        const ny = ys.near[j];
        const fy = ys.far[j];
        const rowInside = ys.inside[j] === 1;
        const base = y0 * row;
        for (let i = u * n, iEnd = i + n; i < iEnd; i++) {
          const nx = xs.near[i];
          const fx = xs.far[i];
          if (rowInside && xs.inside[i] === 1) {
            const w00 = nx * ny;
            const w10 = fx * ny;
            const w01 = nx * fy;
            const w11 = fx * fy;
            const i00 = base + xs.start[i] * 3;
            const i01 = i00 + row;
            r += data[i00] * w00 + data[i00 + 3] * w10 + data[i01] * w01 + data[i01 + 3] * w11;
            g += data[i00 + 1] * w00 + data[i00 + 4] * w10 + data[i01 + 1] * w01 + data[i01 + 4] * w11;
            bl += data[i00 + 2] * w00 + data[i00 + 5] * w10 + data[i01 + 2] * w01 + data[i01 + 5] * w11;
            continue;
          }
          acc[0] = r;
          acc[1] = g;
          acc[2] = bl;
          addBilinear(src, xs.start[i] + fx, y0 + fy, fill, acc);
          r = acc[0];
          g = acc[1];
          bl = acc[2];
        }
      }
      out[o] = round(r / k);
      out[o + 1] = round(g / k);
      out[o + 2] = round(bl / k);
    }
  }
  return { width: outW, height: outH, data: out };
}

/** Adds the bilinear sample at (x, y) to acc; the hot path (all four neighbours inside) avoids bounds checks. */
function addBilinear(src: RgbImage, x: number, y: number, fill: number, acc: Float64Array): void {
  const x0 = floor(x);
  const y0 = floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const w00 = (1 - fx) * (1 - fy);
  const w10 = fx * (1 - fy);
  const w01 = (1 - fx) * fy;
  const w11 = fx * fy;
  const { width, height, data } = src;
  if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
    const i00 = (y0 * width + x0) * 3;
    const i01 = i00 + width * 3;
    for (let ch = 0; ch < 3; ch++) {
      acc[ch] += data[i00 + ch] * w00 + data[i00 + 3 + ch] * w10 + data[i01 + ch] * w01 + data[i01 + 3 + ch] * w11;
    }
    return;
  }
  for (let ch = 0; ch < 3; ch++) {
    acc[ch] += at(src, x0, y0, ch, fill) * w00 + at(src, x0 + 1, y0, ch, fill) * w10 + at(src, x0, y0 + 1, ch, fill) * w01 + at(src, x0 + 1, y0 + 1, ch, fill) * w11;
  }
}

function at(src: RgbImage, x: number, y: number, c: number, fill: number): number {
  if (x < 0 || y < 0 || x >= src.width || y >= src.height) return fill;
  return src.data[(y * src.width + x) * 3 + c];
}

/** BT.601 luma, 0..255. */
export function toGrey(src: RgbImage): GreyImage {
  const data = new Float32Array(src.width * src.height);
  for (let i = 0, o = 0; i < data.length; i++, o += 3) {
    data[i] = 0.299 * src.data[o] + 0.587 * src.data[o + 1] + 0.114 * src.data[o + 2];
  }
  return { width: src.width, height: src.height, data };
}

/**
 * Planar float tensor data (NCHW, batch 1) from an RGB image: (v - mean[c]) * scale[c].
 * `bgr` swaps the channel order for models trained on OpenCV's BGR. One tight loop per plane.
 */
export function toChw(src: RgbImage, mean: readonly number[], scale: readonly number[], bgr = false): Float32Array {
  const plane = src.width * src.height;
  const out = new Float32Array(plane * 3);
  const data = src.data;
  for (let c = 0; c < 3; c++) {
    const sc = bgr ? 2 - c : c;
    const m = mean[c];
    const s = scale[c];
    for (let i = 0, o = c * plane, p = sc; i < plane; i++, o++, p += 3) out[o] = (data[p] - m) * s;
  }
  return out;
}
