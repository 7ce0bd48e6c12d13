import { FaceBox, Point } from '@smilepay/biometrics/domain';

/**
 * Where the face is in the next frame, without running the detector: the last detected box, kept in the coordinates
 * of the face's rigid landmarks (eye corners and nose), re-anchored on the latest frame's landmarks. The landmark
 * model was trained on the detector's boxes, so following the detector's own box (rather than a box drawn around the
 * landmarks) keeps its crop the same shape; on a still face the carried box is the detected one.
 */
export interface FaceCarry {
  /** The box to crop the landmarks from in the next frame. Its score is the last detection's. */
  readonly box: FaceBox;
  /** The last detected box's corners (x1, y1, x2, y2) relative to the rigid landmarks' centroid, in units of their RMS spread. */
  readonly anchor: readonly [number, number, number, number];
}

/** Eye corners and the nose (bridge, tip, base): they do not move when the payer smiles or opens the mouth. */
const RIGID_POINTS = [36, 39, 42, 45, 27, 28, 29, 30, 31, 33, 35];

/** A carried box must keep this share of its side inside the frame, and this many pixels, or the detector runs. */
const MIN_INSIDE_SHARE = 0.75;
const MIN_SIDE_PX = 24;

function rigidFrame(landmarks: readonly Point[]): { cx: number; cy: number; spread: number } {
  let cx = 0;
  let cy = 0;
  for (const i of RIGID_POINTS) {
    cx += landmarks[i].x;
    cy += landmarks[i].y;
  }
  cx /= RIGID_POINTS.length;
  cy /= RIGID_POINTS.length;
  let sum = 0;
  for (const i of RIGID_POINTS) sum += (landmarks[i].x - cx) ** 2 + (landmarks[i].y - cy) ** 2;
  return { cx, cy, spread: Math.sqrt(sum / RIGID_POINTS.length) };
}

/** The carry after a frame: `anchor` from the detection that found the face (or the one carried so far), moved onto `landmarks`. */
export function carryFace(landmarks: readonly Point[], detected: FaceBox, anchor?: FaceCarry['anchor']): FaceCarry {
  const { cx, cy, spread } = rigidFrame(landmarks);
  const a: FaceCarry['anchor'] = anchor ?? [(detected.x1 - cx) / spread, (detected.y1 - cy) / spread, (detected.x2 - cx) / spread, (detected.y2 - cy) / spread];
  const box = { x1: cx + a[0] * spread, y1: cy + a[1] * spread, x2: cx + a[2] * spread, y2: cy + a[3] * spread, score: detected.score };
  return { box, anchor: a };
}

/**
 * The carried box clipped to a width x height frame, or null when it is not usable (mostly outside the frame, too
 * small, or not finite): the caller then runs the detector.
 */
export function carriedBox(carry: FaceCarry, width: number, height: number): FaceBox | null {
  const { x1, y1, x2, y2, score } = carry.box;
  if (![x1, y1, x2, y2].every(Number.isFinite) || x2 - x1 < MIN_SIDE_PX || y2 - y1 < MIN_SIDE_PX) return null;
  const clipped = { x1: Math.max(0, x1), y1: Math.max(0, y1), x2: Math.min(width - 1, x2), y2: Math.min(height - 1, y2), score };
  const inside = Math.min((clipped.x2 - clipped.x1) / (x2 - x1), (clipped.y2 - clipped.y1) / (y2 - y1));
  return inside >= MIN_INSIDE_SHARE ? clipped : null;
}
