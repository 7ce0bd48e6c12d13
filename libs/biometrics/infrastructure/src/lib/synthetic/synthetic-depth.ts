import { FaceBox, Landmarks68, LANDMARK, Point, eyeCentres, interOcularDistance, mean } from '@smilepay/biometrics/domain';
import { DepthImage } from '../image/rgb-image';
import { SeededRandom } from './seeded-random';

// Math's functions are bound once per module: under jest's vm sandbox every `Math.x` is a slow global lookup
// (measured 18x slower in the per-pixel loops), and plain Node is unaffected.
const { tan, sqrt, abs, exp, round, max, min } = Math;
const isFiniteNumber = Number.isFinite;


/**
 * SYNTHETIC depth frames. No depth data set is reachable offline, so tests, the evaluation and the terminal
 * simulator render depth from the RGB frame's own landmarks. Every figure computed on them must say "synthetic".
 *
 * - genuine:  a head-like surface (receding cheeks and forehead), a nose ridge 18–30 mm high, eye sockets, lips;
 * - mask:     the same relief: a rigid mask is a real 3-D face shape, only its expression cannot change;
 * - flat:     a tilted plane (a print held up to the camera);
 * - screen:   a tilted plane with specular dropout (glossy glass returns no structured-light/ToF signal);
 * - bent:     a print bent around a vertical axis (a cylinder: curved along x only).
 */
export type SyntheticDepthKind = 'genuine' | 'mask' | 'flat' | 'screen' | 'bent';
export const SYNTHETIC_DEPTH_KINDS: readonly SyntheticDepthKind[] = ['genuine', 'mask', 'flat', 'screen', 'bent'];

export interface SyntheticDepthOptions {
  /** Seed of the noise and of the per-sample shape parameters, so tests are reproducible. */
  readonly seed: number;
  /** Focal length of the simulated depth camera; with an assumed 63 mm inter-ocular distance it sets the range. */
  readonly focalLengthPx: number;
  /** Gaussian sensor noise, mm (ToF/structured light at arm's length: about 1–2 mm). */
  readonly noiseMm: number;
  /** Fraction of random pixels without a measurement. */
  readonly dropoutFraction: number;
  /** Depth of the wall behind the presentation; 0 renders no return there. */
  readonly backgroundMm: number;
  /** Radius of the bent print's cylinder (mm). */
  readonly bendRadiusMm: number;
  /** Tilt of flat and screen presentations about the vertical and horizontal axes (degrees). */
  readonly tiltDeg: { readonly x: number; readonly y: number };
}

export const DEFAULT_SYNTHETIC_DEPTH_OPTIONS: SyntheticDepthOptions = Object.freeze({
  seed: 1,
  focalLengthPx: 600,
  noiseMm: 1.2,
  dropoutFraction: 0.01,
  backgroundMm: 1600,
  bendRadiusMm: 120,
  tiltDeg: { x: 12, y: -6 },
});

const ASSUMED_INTER_OCULAR_MM = 63;

/** Renders a synthetic depth frame (mm, 0 = no return) registered to an RGB frame of the given size. */
export function synthesizeDepth(
  kind: SyntheticDepthKind,
  faceBox: FaceBox,
  landmarks: Landmarks68,
  size: { readonly width: number; readonly height: number },
  options: Partial<SyntheticDepthOptions> = {},
): DepthImage {
  const o = { ...DEFAULT_SYNTHETIC_DEPTH_OPTIONS, ...options };
  const random = new SeededRandom(o.seed);
  const io = interOcularDistance(landmarks);
  const mmPerPx = ASSUMED_INTER_OCULAR_MM / io;
  const distanceMm = (o.focalLengthPx * ASSUMED_INTER_OCULAR_MM) / io;
  const surface = surfaceFor(kind, faceBox, landmarks, mmPerPx, distanceMm, o, random);
  const data = new Uint16Array(size.width * size.height);
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const z = surface(x, y);
      if (!isFiniteNumber(z) || z <= 0 || random.next() < o.dropoutFraction) continue;
      data[y * size.width + x] = max(1, min(65535, round(z + random.gaussian() * o.noiseMm)));
    }
  }
  if (kind === 'screen') addSpecularDropout(data, size.width, size.height, landmarks, random);
  return { width: size.width, height: size.height, data };
}

type Surface = (x: number, y: number) => number;

function surfaceFor(
  kind: SyntheticDepthKind,
  box: FaceBox,
  landmarks: Landmarks68,
  mmPerPx: number,
  distanceMm: number,
  o: SyntheticDepthOptions,
  random: SeededRandom,
): Surface {
  const centre = mean([eyeCentres(landmarks).right, eyeCentres(landmarks).left, landmarks[LANDMARK.upperLipTop]]);
  const side = box.y2 - box.y1;
  // The print, screen or mask is bigger than the face; beyond it the camera sees the wall.
  const inside = (x: number, y: number, halfW: number, halfH: number) => abs(x - centre.x) <= halfW && abs(y - centre.y) <= halfH;
  const background = o.backgroundMm > 0 ? o.backgroundMm : Number.NaN;
  switch (kind) {
    case 'genuine':
    case 'mask':
      return faceSurface(landmarks, centre, mmPerPx, distanceMm, background, random);
    case 'flat':
    case 'screen': {
      const gx = tan((o.tiltDeg.x * Math.PI) / 180);
      const gy = tan((o.tiltDeg.y * Math.PI) / 180);
      return (x, y) =>
        inside(x, y, side * 1.1, side * 1.4) ? distanceMm + ((x - centre.x) * gx + (y - centre.y) * gy) * mmPerPx : background;
    }
    case 'bent':
      return (x, y) => {
        if (!inside(x, y, side * 1.1, side * 1.4)) return background;
        const xm = (x - centre.x) * mmPerPx;
        const r = o.bendRadiusMm;
        // Convex towards the camera: the centre line is nearest, the sides fall back along a circle of radius r.
        return abs(xm) < r ? distanceMm + (r - sqrt(r * r - xm * xm)) : background;
      };
    default: {
      const _exhaustive: never = kind;
      return _exhaustive;
    }
  }
}

/**
 * A face-like relief in mm, built from the landmarks: an ellipsoidal head (cheeks fall back ~45 mm at the jaw
 * line, the forehead and chin ~15 mm), a nose ridge rising from the bridge to the tip, eye sockets and lips.
 * Shape parameters vary per seed within adult ranges, so the evaluation sees more than one face shape.
 */
function faceSurface(landmarks: Landmarks68, centre: Point, mmPerPx: number, distanceMm: number, background: number, random: SeededRandom): Surface {
  const jawHalfPx = (landmarks[16].x - landmarks[0].x) / 2;
  const halfHeightPx = (landmarks[8].y - min(...landmarks.slice(17, 27).map((p) => p.y))) * 0.62;
  const io = interOcularDistance(landmarks);
  const eyes = eyeCentres(landmarks);
  const tip = landmarks[LANDMARK.noseTip];
  const bridge = landmarks[LANDMARK.noseBridgeTop];
  const lips = mean([landmarks[LANDMARK.upperLipTop], landmarks[LANDMARK.lowerLipBottom]]);
  const noseMm = random.between(18, 30);
  const cheekFallMm = random.between(38, 52);
  const socketMm = random.between(5, 10);
  const noseSigmaPx = io * random.between(0.16, 0.22);
  const gauss = (x: number, y: number, p: Point, sx: number, sy: number) => exp(-((x - p.x) ** 2) / (2 * sx * sx) - (y - p.y) ** 2 / (2 * sy * sy));
  return (x, y) => {
    const u = (x - centre.x) / (jawHalfPx * 1.15);
    const v = (y - centre.y) / (halfHeightPx * 1.2);
    const r2 = u * u + v * v;
    if (r2 > 1) return background;
    const head = cheekFallMm * u * u + 15 * v * v;
    // The ridge: strongest at the tip, 40% of it at the bridge, fading quickly below the tip.
    const along = (y - bridge.y) / max(1, tip.y - bridge.y);
    const ridgeHeight = along < 0 ? 0.4 * exp(-along * along * 8) : along <= 1 ? 0.4 + 0.6 * along : exp(-((along - 1) ** 2) * 30);
    const ridgeX = bridge.x + (tip.x - bridge.x) * min(1, max(0, along));
    const nose = noseMm * ridgeHeight * exp(-((x - ridgeX) ** 2) / (2 * noseSigmaPx * noseSigmaPx));
    const sockets = socketMm * (gauss(x, y, eyes.right, io * 0.22, io * 0.16) + gauss(x, y, eyes.left, io * 0.22, io * 0.16));
    const mouth = 6 * gauss(x, y, lips, io * 0.35, io * 0.15);
    return distanceMm + head - nose + sockets - mouth;
  };
}

/** Glossy screens reflect the projector or ToF light away: blobs and speckle of missing depth over the face. */
function addSpecularDropout(data: Uint16Array, width: number, height: number, landmarks: Landmarks68, random: SeededRandom): void {
  const io = interOcularDistance(landmarks);
  const nose = landmarks[LANDMARK.noseTip];
  const blobs = Array.from({ length: 3 }, () => ({
    // Glare sits where the screen faces the camera most directly: over the middle of the face.
    x: nose.x + random.between(-0.6, 0.6) * io,
    y: nose.y + random.between(-0.8, 0.4) * io,
    r: io * random.between(0.3, 0.55),
  }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBlob = blobs.some((b) => (x - b.x) ** 2 + (y - b.y) ** 2 < b.r * b.r);
      if (inBlob || random.next() < 0.05) data[y * width + x] = 0;
    }
  }
}
