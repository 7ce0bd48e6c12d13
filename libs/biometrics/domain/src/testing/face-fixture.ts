import { FaceBox, Point } from '../lib/geometry/face-geometry';

/**
 * Real output of the pipeline's 68-point landmark model on a 640x480 terminal frame (the faceid photo of
 * @vladmandic/human, face box height 220 px). Lets domain specs run on a real face layout without the models.
 */
export const FIXTURE_FRAME = { width: 640, height: 480 } as const;

export const FIXTURE_BOX: FaceBox = { x1: 212.5, y1: 129.4, x2: 432.7, y2: 349.6, score: 1 };

const RAW: ReadonlyArray<readonly [number, number]> = [
  [231.2, 222.1],
  [232.1, 243.8],
  [234.2, 265.4],
  [237.8, 287],
  [244.7, 307.5],
  [257.5, 324.7],
  [275.2, 336.8],
  [294.9, 345.8],
  [317.2, 348.1],
  [340.3, 345.8],
  [362.1, 337.5],
  [382.1, 326.1],
  [396.2, 309.6],
  [404, 289.2],
  [407.4, 267.1],
  [409.5, 244.6],
  [409.9, 221.9],
  [247.6, 198.4],
  [257.3, 186.7],
  [272.6, 182.8],
  [288.8, 184.6],
  [304, 190.7],
  [329.2, 189.1],
  [345.3, 182.4],
  [362.6, 180.7],
  [379.4, 185.6],
  [390.2, 198.3],
  [317, 212.1],
  [317, 226.2],
  [316.8, 239.7],
  [316.6, 253.9],
  [299.4, 268.3],
  [308.2, 270.4],
  [317.5, 272.2],
  [326.8, 270.3],
  [335.9, 268.2],
  [265, 218.2],
  [274.3, 211],
  [286.5, 210.9],
  [297.4, 220.5],
  [286.2, 222.4],
  [273.8, 222.5],
  [340.8, 220],
  [351.7, 210.3],
  [363.9, 210],
  [373.9, 217.2],
  [365.1, 221.6],
  [352.5, 221.9],
  [283.5, 296.9],
  [296.8, 289.1],
  [309.2, 284.9],
  [317.8, 286.7],
  [326.7, 284.5],
  [339.7, 288.2],
  [353.7, 295.1],
  [339.9, 302.5],
  [327.3, 305.8],
  [317.9, 306.7],
  [308.6, 306.2],
  [296.6, 303.5],
  [288.9, 296.3],
  [309, 293.1],
  [317.8, 293.6],
  [326.6, 292.7],
  [348.2, 294.9],
  [326.9, 295.4],
  [317.9, 296.2],
  [309, 295.8],
];

export const FIXTURE_LANDMARKS: readonly Point[] = RAW.map(([x, y]) => ({ x, y }));

/** Applies f to every landmark (rotations, smiles, scaling in specs). */
export function mapLandmarks(points: readonly Point[], f: (p: Point, index: number) => Point): Point[] {
  return points.map((p, i) => f(p, i));
}
