import { Landmarks68, LANDMARK, Point, eyeCentres, mean, distance } from '../geometry/face-geometry';

/**
 * Expression measurements of the mouth, normalised by the inter-ocular distance so they do not depend on how far
 * the face is from the camera, and measured in the eye-aligned frame so head roll does not fake a corner lift.
 */
export interface MouthMetrics {
  /** Outer mouth-corner distance / inter-ocular distance. Rises when a person smiles. */
  readonly mouthWidthRatio: number;
  /** (mouth centre y − mean corner y) / inter-ocular distance, y down: positive when the corners sit above the centre. */
  readonly cornerLiftRatio: number;
  /** Inner-lip gap / inter-ocular distance. */
  readonly mouthOpenRatio: number;
  /** The normaliser, in pixels, for quality checks. */
  readonly interOcularPx: number;
}

export function mouthMetrics(landmarks: Landmarks68): MouthMetrics {
  const eyes = eyeCentres(landmarks);
  const interOcularPx = distance(eyes.right, eyes.left);
  if (!(interOcularPx > 0)) {
    throw new RangeError('eye centres coincide: landmarks are degenerate');
  }
  const origin = mean([eyes.right, eyes.left]);
  const angle = Math.atan2(eyes.left.y - eyes.right.y, eyes.left.x - eyes.right.x);
  const toFace = (p: Point): Point => rotateAbout(p, origin, -angle);

  const cornerRight = toFace(landmarks[LANDMARK.mouthCornerRight]);
  const cornerLeft = toFace(landmarks[LANDMARK.mouthCornerLeft]);
  const centre = mean(
    [LANDMARK.upperLipTop, LANDMARK.lowerLipBottom, LANDMARK.innerUpperLip, LANDMARK.innerLowerLip].map((i) => toFace(landmarks[i])),
  );
  const corners = mean([cornerRight, cornerLeft]);
  return {
    mouthWidthRatio: distance(cornerRight, cornerLeft) / interOcularPx,
    cornerLiftRatio: (centre.y - corners.y) / interOcularPx,
    mouthOpenRatio: distance(landmarks[LANDMARK.innerUpperLip], landmarks[LANDMARK.innerLowerLip]) / interOcularPx,
    interOcularPx,
  };
}

function rotateAbout(p: Point, origin: Point, angle: number): Point {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const dx = p.x - origin.x;
  const dy = p.y - origin.y;
  return { x: origin.x + dx * cos - dy * sin, y: origin.y + dx * sin + dy * cos };
}
