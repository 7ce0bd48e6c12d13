/** A point in image pixels (x right, y down). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A face box in image pixels: top-left (x1, y1), bottom-right (x2, y2), detector confidence 0..1. */
export interface FaceBox {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly score: number;
}

/** 68 facial landmarks in the iBUG layout, 0-indexed, in image pixels. */
export type Landmarks68 = readonly Point[];

export const LANDMARK_COUNT = 68;

/** Indices into the iBUG 68-point layout that the pipeline relies on. */
export const LANDMARK = {
  jawRight: 2,
  jawLeft: 14,
  noseTip: 30,
  noseBridgeTop: 27,
  noseBaseRight: 31,
  noseBaseLeft: 35,
  mouthCornerRight: 48,
  mouthCornerLeft: 54,
  upperLipTop: 51,
  lowerLipBottom: 57,
  innerMouthCornerRight: 60,
  innerMouthCornerLeft: 64,
  innerUpperLip: 62,
  innerLowerLip: 66,
} as const;

/** The 5-point set used for alignment: eye centres, nose tip, mouth corners (image-left first). */
export interface FivePoints {
  readonly eyeRight: Point;
  readonly eyeLeft: Point;
  readonly nose: Point;
  readonly mouthRight: Point;
  readonly mouthLeft: Point;
}

export function boxWidth(box: FaceBox): number {
  return box.x2 - box.x1;
}

export function boxHeight(box: FaceBox): number {
  return box.y2 - box.y1;
}

export function mean(points: readonly Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function at(landmarks: Landmarks68, indices: readonly number[]): Point[] {
  return indices.map((i) => landmarks[i]);
}

/** Eye centres: the mean of the four eyelid points of each eye (the corners are noisier). */
export function eyeCentres(landmarks: Landmarks68): { right: Point; left: Point } {
  assertLandmarks(landmarks);
  return { right: mean(at(landmarks, [37, 38, 40, 41])), left: mean(at(landmarks, [43, 44, 46, 47])) };
}

export function interOcularDistance(landmarks: Landmarks68): number {
  const eyes = eyeCentres(landmarks);
  return distance(eyes.right, eyes.left);
}

/** The 5 points the ArcFace template expects, in template order. */
export function fivePoints(landmarks: Landmarks68): FivePoints {
  const eyes = eyeCentres(landmarks);
  return {
    eyeRight: eyes.right,
    eyeLeft: eyes.left,
    nose: landmarks[LANDMARK.noseTip],
    mouthRight: mean(at(landmarks, [48, 60])),
    mouthLeft: mean(at(landmarks, [54, 64])),
  };
}

export function assertLandmarks(landmarks: Landmarks68): void {
  if (landmarks.length !== LANDMARK_COUNT) {
    throw new RangeError(`expected ${LANDMARK_COUNT} landmarks, got ${landmarks.length}`);
  }
}
