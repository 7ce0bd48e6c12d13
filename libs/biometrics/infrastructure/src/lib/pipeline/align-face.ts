import { FivePoints, Point } from '@smilepay/biometrics/domain';
import { Affine, invertAffine, warpRgb } from '../image/image-ops';
import { RgbImage } from '../image/rgb-image';

/** The standard ArcFace 112x112 template: right eye, left eye (image left to right), nose tip, mouth corners. */
export const ARCFACE_TEMPLATE_112: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

export const ALIGNED_SIZE = 112;

/**
 * Least-squares similarity transform (rotation, uniform scale, translation) mapping `from` onto `to`
 * (Umeyama 1991 in 2-D, closed form). Unlike a 3-point affine it cannot shear the face, which matters for the
 * embedding: the same person's cross-photo score was much lower with the affine warp.
 */
export function similarityTransform(from: readonly Point[], to: readonly Point[]): Affine {
  const n = from.length;
  const mf = centroid(from);
  const mt = centroid(to);
  let sxx = 0;
  let sxy = 0;
  let varFrom = 0;
  for (let i = 0; i < n; i++) {
    const fx = from[i].x - mf.x;
    const fy = from[i].y - mf.y;
    const tx = to[i].x - mt.x;
    const ty = to[i].y - mt.y;
    // a = Σ(f·t), b = Σ(f × t): rotation angle atan2(b, a), scale √(a²+b²)/Σ|f|².
    sxx += fx * tx + fy * ty;
    sxy += fx * ty - fy * tx;
    varFrom += fx * fx + fy * fy;
  }
  if (varFrom === 0) throw new RangeError('alignment points coincide');
  const a = sxx / varFrom;
  const b = sxy / varFrom;
  return [a, -b, mt.x - (a * mf.x - b * mf.y), b, a, mt.y - (b * mf.x + a * mf.y)];
}

function centroid(points: readonly Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}

export function fivePointList(p: FivePoints): Point[] {
  return [p.eyeRight, p.eyeLeft, p.nose, p.mouthRight, p.mouthLeft];
}

/** Warps the face onto the 112x112 template; returns the crop and the frame→crop transform. */
export function alignFace(image: RgbImage, points: FivePoints): { aligned: RgbImage; transform: Affine } {
  const transform = similarityTransform(fivePointList(points), ARCFACE_TEMPLATE_112);
  const aligned = warpRgb(image, invertAffine(transform), ALIGNED_SIZE, ALIGNED_SIZE, 0);
  return { aligned, transform };
}
