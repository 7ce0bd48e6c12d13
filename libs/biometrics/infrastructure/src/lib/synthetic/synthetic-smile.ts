import { Landmarks68, LANDMARK, Point, distance, eyeCentres, interOcularDistance } from '@smilepay/biometrics/domain';
import { RgbImage } from '../image/rgb-image';
import { SeededRandom } from './seeded-random';

// Math's functions are bound once per module: under jest's vm sandbox every `Math.x` is a slow global lookup
// (measured 18x slower in the per-pixel loops), and plain Node is unaffected.
const { exp, abs, min, max, floor, round, hypot } = Math;


/**
 * SYNTHETIC presentation sequences for the smile challenge, made from one real still image:
 * - genuine:     neutral frames, then the mouth corners pulled outwards and upwards by a smooth local warp of the
 *                real pixels, so the real landmark model sees a real-looking transition;
 * - still:       the same frame repeated (a photo or a screen replay of a still);
 * - rigid_mask:  the same expression, moved rigidly by a pixel or two from frame to frame (a hand-held mask).
 * Every frame gets a little sensor noise, so "identical" frames are not byte-identical.
 */
export type SyntheticSmileKind = 'genuine' | 'still' | 'rigid_mask';

export interface SyntheticSmileOptions {
  readonly frames: number;
  /** Leading frames that stay neutral (the challenge's baseline). */
  readonly neutralFrames: number;
  /** Time between frames, ms. */
  readonly frameIntervalMs: number;
  /** Relative increase of the mouth width at the full smile. */
  readonly widthGain: number;
  /** Corner lift at the full smile, in inter-ocular units. */
  readonly cornerLift: number;
  /** Per-pixel sensor noise amplitude (uniform ±, 8-bit levels). */
  readonly noiseLevels: number;
  readonly seed: number;
}

export const DEFAULT_SYNTHETIC_SMILE_OPTIONS: SyntheticSmileOptions = Object.freeze({
  frames: 10,
  neutralFrames: 3,
  frameIntervalMs: 200,
  widthGain: 0.35,
  cornerLift: 0.12,
  noiseLevels: 2,
  seed: 7,
});

const HOLD_FRAMES = 2;

export interface SyntheticFrame {
  readonly image: RgbImage;
  readonly timestampMs: number;
  /** 0 = neutral, 1 = full synthetic smile. */
  readonly smileAmount: number;
}

export function synthesizeSmileSequence(
  image: RgbImage,
  landmarks: Landmarks68,
  kind: SyntheticSmileKind,
  options: Partial<SyntheticSmileOptions> = {},
): SyntheticFrame[] {
  const o = { ...DEFAULT_SYNTHETIC_SMILE_OPTIONS, ...options };
  if (!Number.isInteger(o.frames) || o.frames < 2 || o.frames > 300) throw new RangeError(`frames must be an integer in [2, 300], got ${o.frames}`);
  const random = new SeededRandom(o.seed);
  const frames: SyntheticFrame[] = [];
  // After the neutral frames the smile ramps up, then holds for the last HOLD_FRAMES frames.
  const rampFrames = max(1, o.frames - o.neutralFrames - HOLD_FRAMES);
  for (let k = 0; k < o.frames; k++) {
    const t = kind === 'genuine' && k >= o.neutralFrames ? min(1, (k - o.neutralFrames + 1) / rampFrames) : 0;
    let frame = t > 0 ? warpSmile(image, landmarks, easeInOut(t) * o.widthGain, easeInOut(t) * o.cornerLift) : image;
    if (kind === 'rigid_mask') frame = shift(frame, round(random.between(-2, 2)), round(random.between(-2, 2)));
    frames.push({ image: addNoise(frame, o.noiseLevels, random), timestampMs: k * o.frameIntervalMs, smileAmount: easeInOut(t) });
  }
  return frames;
}

function easeInOut(t: number): number {
  return t * t * (3 - 2 * t);
}

/**
 * Moves each mouth corner outwards along the mouth line by widthGain/2 of the mouth width and upwards (towards
 * the eyes) by cornerLift × inter-ocular distance, with a Gaussian fall-off so cheeks stretch smoothly and the
 * lip centre stays put. Backward mapping: each output pixel samples the source at p − displacement(p).
 */
export function warpSmile(image: RgbImage, landmarks: Landmarks68, widthGain: number, cornerLift: number): RgbImage {
  const right = landmarks[LANDMARK.mouthCornerRight];
  const left = landmarks[LANDMARK.mouthCornerLeft];
  const io = interOcularDistance(landmarks);
  const eyes = eyeCentres(landmarks);
  const mouthWidth = distance(right, left);
  const axis = unit({ x: left.x - right.x, y: left.y - right.y });
  // "Up" is perpendicular to the mouth line, pointing towards the eyes.
  const toEyes = { x: (eyes.right.x + eyes.left.x - right.x - left.x) / 2, y: (eyes.right.y + eyes.left.y - right.y - left.y) / 2 };
  let up = { x: axis.y, y: -axis.x };
  if (up.x * toEyes.x + up.y * toEyes.y < 0) up = { x: -up.x, y: -up.y };
  const push = (widthGain * mouthWidth) / 2;
  const lift = cornerLift * io;
  const handles = [
    { at: right, d: { x: -axis.x * push + up.x * lift, y: -axis.y * push + up.y * lift } },
    { at: left, d: { x: axis.x * push + up.x * lift, y: axis.y * push + up.y * lift } },
  ];
  const sigma = mouthWidth * 0.3;
  const reach = sigma * 3.5;
  const out = new Uint8Array(image.data);
  const x0 = max(0, floor(min(right.x, left.x) - reach));
  const x1 = min(image.width - 1, Math.ceil(max(right.x, left.x) + reach));
  const y0 = max(0, floor(min(right.y, left.y) - reach));
  const y1 = min(image.height - 1, Math.ceil(max(right.y, left.y) + reach));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let dx = 0;
      let dy = 0;
      for (const h of handles) {
        // The handle's influence is centred where the corner moves to, so the corner pixel lands there.
        const w = exp(-((x - h.at.x - h.d.x) ** 2 + (y - h.at.y - h.d.y) ** 2) / (2 * sigma * sigma));
        dx += w * h.d.x;
        dy += w * h.d.y;
      }
      if (abs(dx) + abs(dy) < 0.01) continue;
      sampleInto(image, x - dx, y - dy, out, (y * image.width + x) * 3);
    }
  }
  return { width: image.width, height: image.height, data: out };
}

function unit(p: Point): Point {
  const n = hypot(p.x, p.y) || 1;
  return { x: p.x / n, y: p.y / n };
}

function sampleInto(src: RgbImage, x: number, y: number, out: Uint8Array, offset: number): void {
  const xc = min(src.width - 1.001, max(0, x));
  const yc = min(src.height - 1.001, max(0, y));
  const xi = floor(xc);
  const yi = floor(yc);
  const fx = xc - xi;
  const fy = yc - yi;
  const i00 = (yi * src.width + xi) * 3;
  const i10 = i00 + 3;
  const i01 = i00 + src.width * 3;
  const i11 = i01 + 3;
  for (let c = 0; c < 3; c++) {
    const top = src.data[i00 + c] * (1 - fx) + src.data[i10 + c] * fx;
    const bottom = src.data[i01 + c] * (1 - fx) + src.data[i11 + c] * fx;
    out[offset + c] = round(top * (1 - fy) + bottom * fy);
  }
}

function shift(image: RgbImage, dx: number, dy: number): RgbImage {
  const out = new Uint8Array(image.data.length);
  for (let y = 0; y < image.height; y++) {
    const sy = min(image.height - 1, max(0, y - dy));
    for (let x = 0; x < image.width; x++) {
      const sx = min(image.width - 1, max(0, x - dx));
      const o = (y * image.width + x) * 3;
      const s = (sy * image.width + sx) * 3;
      out[o] = image.data[s];
      out[o + 1] = image.data[s + 1];
      out[o + 2] = image.data[s + 2];
    }
  }
  return { width: image.width, height: image.height, data: out };
}

function addNoise(image: RgbImage, levels: number, random: SeededRandom): RgbImage {
  if (levels <= 0) return image;
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = max(0, min(255, image.data[i] + round(random.between(-levels, levels))));
  }
  return { width: image.width, height: image.height, data: out };
}
