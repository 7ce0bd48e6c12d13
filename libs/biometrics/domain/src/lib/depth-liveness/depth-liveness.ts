import { FaceBox, Landmarks68, LANDMARK, Point, assertLandmarks, eyeCentres, interOcularDistance, mean } from '../geometry/face-geometry';
import { DepthLivenessConfig, DEFAULT_DEPTH_LIVENESS_CONFIG } from './depth-liveness-config';
import { RobustFit, dot, median, percentile, robustFit, solveLinearSystem } from './least-squares';

// Math's functions are bound once per module: under jest's vm sandbox every `Math.x` is a slow global lookup
// (measured 18x slower in the per-pixel loops), and plain Node is unaffected.
const { round, max, min, abs, sqrt, ceil, floor } = Math;
const isFiniteNumber = Number.isFinite;


/**
 * What the depth frame looks like in the face region:
 * - genuine: a nose bump of plausible size in front of the eyes/cheeks;
 * - flat: planar, dense depth (print, matte surface);
 * - screen: planar with specular dropout (glossy display: structured light or ToF returns go missing);
 * - bent: a curved sheet that a quadratic surface explains with no nose bump (bent print);
 * - implausible: relief, but not a face's (too deep, too shallow, no nose);
 * - insufficient_data: too few valid depth pixels to decide.
 */
export type DepthClassification = 'genuine' | 'flat' | 'screen' | 'bent' | 'implausible' | 'insufficient_data';

export interface DepthLivenessMetrics {
  readonly samples: number;
  /** Valid depth fraction in the central face region (eyes to mouth). */
  readonly validFraction: number;
  /** Distance of the nose tip (median of a small window; the face's median when the nose has no depth), mm. */
  readonly medianDistanceMm: number;
  readonly mmPerPx: number;
  /** RMS of all face samples' distances to the robust plane. */
  readonly planeRmsMm: number;
  /** 97th − 3rd percentile of the signed distances to the robust plane. */
  readonly reliefMm: number;
  /** How far the nose tip stands in front of the plane through both eye centres and both cheeks. */
  readonly noseProtrusionMm: number;
  /** RMS of all face samples' distances to the robust quadratic surface. */
  readonly quadricRmsMm: number;
  /** How far the nose tip stands in front of the quadratic surface (≈ 0 for any bent sheet). */
  readonly noseAboveQuadricMm: number;
  /** Principal curvatures of the quadratic surface, 1/m; |major| ≥ |minor|. A cylinder has minor ≈ 0. */
  readonly curvatureMajorPerM: number;
  readonly curvatureMinorPerM: number;
}

export interface DepthLivenessResult {
  readonly classification: DepthClassification;
  /** 0..1, how strongly the depth says "a live face"; 0 unless classification is genuine. */
  readonly score: number;
  readonly metrics: DepthLivenessMetrics;
  readonly reasons: readonly string[];
}

interface Sample {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/**
 * Depth presentation-attack check over the face region of a depth frame registered to the RGB frame.
 * `depthMm` is row-major, one unsigned 16-bit depth per pixel in millimetres, 0 = no measurement.
 */
export function depthLiveness(
  depthMm: Uint16Array,
  width: number,
  height: number,
  faceBox: FaceBox,
  landmarks: Landmarks68,
  config: DepthLivenessConfig = DEFAULT_DEPTH_LIVENESS_CONFIG,
): DepthLivenessResult {
  assertDepthFrame(depthMm, width, height);
  assertLandmarks(landmarks);
  const frame: DepthFrame = { depthMm, width, height, config };
  const validFraction = centralValidFraction(frame, landmarks);
  const nose = landmarks[LANDMARK.noseTip];
  const noseZ = windowMedian(frame, nose, max(1, round(interOcularDistance(landmarks) * 0.05)));
  const raw = sampleFaceRegion(frame, faceBox, landmarks);
  const centreZ = isFiniteNumber(noseZ) ? noseZ : median(raw.map((s) => s.z));
  const samples = raw.filter((s) => abs(s.z - centreZ) <= config.backgroundGateMm);
  const mmPerPx = config.focalLengthPx > 0 ? centreZ / config.focalLengthPx : config.assumedInterOcularMm / interOcularDistance(landmarks);

  const base = { samples: samples.length, validFraction, medianDistanceMm: centreZ, mmPerPx };
  // Sparse depth is still evidence when what remains is a plane: that is how a glossy screen looks. Sparse depth
  // that is not planar decides nothing.
  if (samples.length < config.minSamples || !isFiniteNumber(centreZ)) {
    return insufficient(base, samples.length, validFraction, noseZ, config);
  }
  // Millimetre coordinates centred on the nose: well conditioned, and the quadric's linear terms stay small.
  const toMm = (p: Point): Point => ({ x: (p.x - nose.x) * mmPerPx, y: (p.y - nose.y) * mmPerPx });
  const points = samples.map((s) => ({ ...toMm(s), z: s.z }));
  const plane = robustFit(points.map(planeFeatures), points.map((p) => p.z), 8, config.noiseFloorMm);
  const quadric = robustFit(points.map(quadricFeatures), points.map((p) => p.z), 8, config.noiseFloorMm);
  if (!plane || !quadric) {
    return insufficient(base, 0, validFraction, noseZ, config);
  }
  const metrics: DepthLivenessMetrics = {
    ...base,
    ...surfaceMetrics(plane, quadric, isFiniteNumber(noseZ) ? noseZ : centreZ),
    noseProtrusionMm: isFiniteNumber(noseZ) ? noseProtrusion(frame, landmarks, toMm, noseZ) : Number.NaN,
  };
  const sparse = validFraction < config.minValidFraction || !isFiniteNumber(noseZ);
  if (sparse && !isPlanar(metrics, config)) return insufficient(base, samples.length, validFraction, noseZ, config);
  return classify(metrics, config);
}

interface DepthFrame {
  readonly depthMm: Uint16Array;
  readonly width: number;
  readonly height: number;
  readonly config: DepthLivenessConfig;
}

function assertDepthFrame(depthMm: Uint16Array, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`bad depth frame size ${width}x${height}`);
  }
  if (depthMm.length !== width * height) {
    throw new RangeError(`depth frame has ${depthMm.length} values, expected ${width}x${height}`);
  }
}

function depthAt(frame: DepthFrame, x: number, y: number): number {
  const u = round(x);
  const v = round(y);
  if (u < 0 || v < 0 || u >= frame.width || v >= frame.height) return Number.NaN;
  const z = frame.depthMm[v * frame.width + u];
  return z >= frame.config.minDepthMm && z <= frame.config.maxDepthMm && z > 0 ? z : Number.NaN;
}

/** Median of the valid depths in a (2r+1)² window: one dropped pixel at the nose tip must not decide anything. */
function windowMedian(frame: DepthFrame, p: Point, radius: number): number {
  const values: number[] = [];
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const z = depthAt(frame, p.x + dx, p.y + dy);
      if (isFiniteNumber(z)) values.push(z);
    }
  }
  return values.length * 3 >= (2 * radius + 1) ** 2 ? median(values) : Number.NaN;
}

/** The valid fraction between the outer eye corners, from the brows to the lower lip: skin only, no hair. */
function centralValidFraction(frame: DepthFrame, landmarks: Landmarks68): number {
  const x1 = landmarks[36].x;
  const x2 = landmarks[45].x;
  const y1 = min(...landmarks.slice(17, 27).map((p) => p.y));
  const y2 = landmarks[LANDMARK.lowerLipBottom].y;
  let valid = 0;
  let total = 0;
  const step = max(1, floor(min(x2 - x1, y2 - y1) / 40));
  for (let y = ceil(y1); y <= y2; y += step) {
    for (let x = ceil(x1); x <= x2; x += step) {
      total++;
      if (isFiniteNumber(depthAt(frame, x, y))) valid++;
    }
  }
  return total > 0 ? valid / total : 0;
}

/** Grid samples over the face: jaw line left to right, brows to chin, clipped to the detector box. */
function sampleFaceRegion(frame: DepthFrame, box: FaceBox, landmarks: Landmarks68): Sample[] {
  const jaw = landmarks.slice(0, 17);
  const x1 = max(box.x1, min(...jaw.map((p) => p.x)));
  const x2 = min(box.x2, max(...jaw.map((p) => p.x)));
  const y1 = max(box.y1, min(...landmarks.slice(17, 27).map((p) => p.y)));
  const y2 = min(box.y2, landmarks[8].y);
  const n = frame.config.gridSize;
  const samples: Sample[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = x1 + ((i + 0.5) / n) * (x2 - x1);
      const y = y1 + ((j + 0.5) / n) * (y2 - y1);
      const z = depthAt(frame, x, y);
      if (isFiniteNumber(z)) samples.push({ x, y, z });
    }
  }
  return samples;
}

function planeFeatures(p: Point): number[] {
  return [p.x, p.y, 1];
}

function quadricFeatures(p: Point): number[] {
  return [p.x * p.x, p.x * p.y, p.y * p.y, p.x, p.y, 1];
}

function rms(values: readonly number[]): number {
  return sqrt(values.reduce((sum, v) => sum + v * v, 0) / max(1, values.length));
}

/** Plane and quadric measurements. Residuals are made "towards the camera is positive" (fit − z). */
function surfaceMetrics(plane: RobustFit, quadric: RobustFit, noseZ: number) {
  const towardCamera = plane.residuals.map((r) => -r);
  const [a, b, c, , , f] = quadric.coefficients;
  // Hessian of z = a x² + b xy + c y² + …  is [[2a, b], [b, 2c]]; its eigenvalues are the principal curvatures
  // at the vertex (small slopes), in 1/mm.
  const trace = 2 * a + 2 * c;
  const det = 4 * a * c - b * b;
  const disc = sqrt(max(0, (trace * trace) / 4 - det));
  const k1 = trace / 2 + disc;
  const k2 = trace / 2 - disc;
  const [major, minor] = abs(k1) >= abs(k2) ? [k1, k2] : [k2, k1];
  return {
    planeRmsMm: rms(plane.residuals),
    reliefMm: percentile(towardCamera, 0.97) - percentile(towardCamera, 0.03),
    quadricRmsMm: rms(quadric.residuals),
    // The nose sits at the origin of the centred coordinates, so the quadric's value there is its constant term.
    noseAboveQuadricMm: f - noseZ,
    curvatureMajorPerM: major * 1000,
    curvatureMinorPerM: minor * 1000,
  };
}

/** Nose tip height above the least-squares plane through both eye centres and both cheeks. */
function noseProtrusion(frame: DepthFrame, landmarks: Landmarks68, toMm: (p: Point) => Point, noseZ: number): number {
  const eyes = eyeCentres(landmarks);
  const cheekRight = mean([landmarks[LANDMARK.noseBaseRight], landmarks[LANDMARK.jawRight]]);
  const cheekLeft = mean([landmarks[LANDMARK.noseBaseLeft], landmarks[LANDMARK.jawLeft]]);
  const radius = max(1, round(interOcularDistance(landmarks) * 0.06));
  const refs = [eyes.right, eyes.left, cheekRight, cheekLeft]
    .map((p) => ({ ...toMm(p), z: windowMedian(frame, p, radius) }))
    .filter((p) => isFiniteNumber(p.z));
  if (refs.length < 3) return Number.NaN;
  const normal = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const rhs = [0, 0, 0];
  for (const r of refs) {
    const f = planeFeatures(r);
    for (let i = 0; i < 3; i++) {
      rhs[i] += f[i] * r.z;
      for (let j = 0; j < 3; j++) normal[i][j] += f[i] * f[j];
    }
  }
  const coefficients = solveLinearSystem(normal, rhs);
  if (!coefficients) return Number.NaN;
  return dot(coefficients, planeFeatures({ x: 0, y: 0 })) - noseZ;
}

function insufficient(
  base: Pick<DepthLivenessMetrics, 'samples' | 'validFraction' | 'medianDistanceMm' | 'mmPerPx'>,
  samples: number,
  validFraction: number,
  noseZ: number,
  config: DepthLivenessConfig,
): DepthLivenessResult {
  const reasons: string[] = [];
  if (validFraction < config.minValidFraction) reasons.push(`depth_valid_fraction ${validFraction.toFixed(2)} < ${config.minValidFraction}`);
  if (samples < config.minSamples) reasons.push(`depth_samples ${samples} < ${config.minSamples}`);
  if (!isFiniteNumber(noseZ)) reasons.push('depth_missing_at_nose_tip');
  if (reasons.length === 0) reasons.push('depth_surface_fit_failed');
  const nan = Number.NaN;
  return {
    classification: 'insufficient_data',
    score: 0,
    reasons,
    metrics: {
      ...base,
      planeRmsMm: nan,
      reliefMm: nan,
      noseProtrusionMm: nan,
      quadricRmsMm: nan,
      noseAboveQuadricMm: nan,
      curvatureMajorPerM: nan,
      curvatureMinorPerM: nan,
    },
  };
}

function isPlanar(m: DepthLivenessMetrics, c: DepthLivenessConfig): boolean {
  return m.planeRmsMm <= c.planarMaxRmsMm || m.reliefMm <= c.planarMaxReliefMm;
}

function classify(m: DepthLivenessMetrics, c: DepthLivenessConfig): DepthLivenessResult {
  const fmt = (v: number) => v.toFixed(1);
  if (isPlanar(m, c)) {
    const dropout = 1 - m.validFraction;
    const screen = dropout >= c.screenMinDropoutFraction;
    const reasons = [`depth_planar: plane RMS ${fmt(m.planeRmsMm)} mm, relief ${fmt(m.reliefMm)} mm`];
    if (screen) reasons.push(`depth_specular_dropout ${(dropout * 100).toFixed(0)}% (glossy display)`);
    return { classification: screen ? 'screen' : 'flat', score: 0, metrics: m, reasons };
  }
  if (m.quadricRmsMm <= c.bentMaxQuadricRmsMm && !(m.noseAboveQuadricMm >= c.minNoseAboveQuadricMm)) {
    const anisotropy = abs(m.curvatureMinorPerM) / max(1e-9, abs(m.curvatureMajorPerM));
    const shape = anisotropy < 0.35 ? 'cylinder (one axis)' : 'curved in two axes';
    const reasons = [
      `depth_bent_sheet: quadric RMS ${fmt(m.quadricRmsMm)} mm, ${shape}, curvature ${fmt(m.curvatureMajorPerM)}/${fmt(m.curvatureMinorPerM)} 1/m, nose above surface ${fmt(m.noseAboveQuadricMm)} mm`,
    ];
    return { classification: 'bent', score: 0, metrics: m, reasons };
  }
  const problems: string[] = [];
  if (!(m.noseProtrusionMm >= c.minNoseProtrusionMm && m.noseProtrusionMm <= c.maxNoseProtrusionMm)) {
    problems.push(`depth_nose_protrusion ${fmt(m.noseProtrusionMm)} mm outside [${c.minNoseProtrusionMm}, ${c.maxNoseProtrusionMm}]`);
  }
  if (!(m.reliefMm >= c.minReliefMm && m.reliefMm <= c.maxReliefMm)) {
    problems.push(`depth_relief ${fmt(m.reliefMm)} mm outside [${c.minReliefMm}, ${c.maxReliefMm}]`);
  }
  if (!(m.noseAboveQuadricMm >= c.minNoseAboveQuadricMm)) {
    problems.push(`depth_no_nose_bump: ${fmt(m.noseAboveQuadricMm)} mm above the fitted surface < ${c.minNoseAboveQuadricMm}`);
  }
  if (problems.length > 0) return { classification: 'implausible', score: 0, metrics: m, reasons: problems };
  // Margin above the minimums, saturating: 0.6 at the thresholds, 1.0 with 10 mm of nose and 6 mm of bump to spare.
  const margin = min(
    clamp01((m.noseProtrusionMm - c.minNoseProtrusionMm) / 10),
    clamp01((m.noseAboveQuadricMm - c.minNoseAboveQuadricMm) / 6),
  );
  return {
    classification: 'genuine',
    score: 0.6 + 0.4 * margin,
    metrics: m,
    reasons: [`depth_face_relief: nose ${fmt(m.noseProtrusionMm)} mm, relief ${fmt(m.reliefMm)} mm, bump ${fmt(m.noseAboveQuadricMm)} mm`],
  };
}

function clamp01(v: number): number {
  return max(0, min(1, v));
}
