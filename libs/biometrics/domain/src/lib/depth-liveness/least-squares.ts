// Math's functions are bound once per module: under jest's vm sandbox every `Math.x` is a slow global lookup
// (measured 18x slower in the per-pixel loops), and plain Node is unaffected.
const { abs, max, min, round, sqrt } = Math;

/**
 * Small dense least squares for the depth surface fits (3 or 6 unknowns, a few thousand rows).
 * Normal equations are fine at this size because coordinates are centred on the nose and in millimetres.
 */

/** Solves A x = b for a small square system by Gaussian elimination with partial pivoting; null if singular. */
export function solveLinearSystem(matrix: number[][], rhs: number[]): number[] | null {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (abs(a[row][col]) > abs(a[pivot][col])) pivot = row;
    if (abs(a[pivot][col]) < 1e-12) return null;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let row = col + 1; row < n; row++) {
      const factor = a[row][col] / a[col][col];
      for (let k = col; k <= n; k++) a[row][k] -= factor * a[col][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = a[row][n];
    for (let k = row + 1; k < n; k++) sum -= a[row][k] * x[k];
    x[row] = sum / a[row][row];
  }
  return x;
}

/** Weighted least squares: minimises sum w_i (features_i · beta − z_i)^2. */
export function weightedLeastSquares(features: readonly number[][], z: readonly number[], weights: readonly number[]): number[] | null {
  const p = features[0]?.length ?? 0;
  const normal = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const rhs = new Array<number>(p).fill(0);
  for (let i = 0; i < z.length; i++) {
    const w = weights[i];
    if (w === 0) continue;
    const f = features[i];
    for (let r = 0; r < p; r++) {
      rhs[r] += w * f[r] * z[i];
      for (let c = r; c < p; c++) normal[r][c] += w * f[r] * f[c];
    }
  }
  for (let r = 0; r < p; r++) for (let c = 0; c < r; c++) normal[r][c] = normal[c][r];
  return solveLinearSystem(normal, rhs);
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/**
 * A typed array's sort is numeric with no comparator call per step: about 5x faster than Array#sort with one, for
 * the same order. The robust fits take a median of every residual in every iteration, so this is their hot spot.
 */
function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = sortedCopy(values);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = sortedCopy(values);
  const index = min(sorted.length - 1, max(0, round(fraction * (sorted.length - 1))));
  return sorted[index];
}

export interface RobustFit {
  readonly coefficients: number[];
  /** Residual z_i − fit_i for every sample, in the order given. */
  readonly residuals: number[];
  /** Final Tukey weights (0 = rejected as outlier). */
  readonly weights: number[];
  /** Root mean square of the residuals of the inliers (weight > 0). */
  readonly inlierRms: number;
  readonly inlierFraction: number;
}

const TUKEY_C = 4.685;
const MAD_TO_SIGMA = 1.4826;

/**
 * Iteratively reweighted least squares with Tukey's biweight. The scale is re-estimated from the median absolute
 * residual at each step, floored at `minScale` so a noise-free synthetic surface does not divide by zero.
 * A face is a surface with a bump (the nose) on it: the bump is what the biweight down-weights.
 */
export function robustFit(features: readonly number[][], z: readonly number[], iterations: number, minScale: number): RobustFit | null {
  let weights = new Array<number>(z.length).fill(1);
  let coefficients = weightedLeastSquares(features, z, weights);
  if (!coefficients) return null;
  for (let iteration = 0; iteration < iterations; iteration++) {
    const residuals = z.map((value, i) => value - dot(features[i], coefficients as number[]));
    const scale = max(minScale, MAD_TO_SIGMA * median(residuals.map(Math.abs)));
    weights = residuals.map((r) => {
      const u = r / (TUKEY_C * scale);
      return abs(u) < 1 ? (1 - u * u) ** 2 : 0;
    });
    const next = weightedLeastSquares(features, z, weights);
    if (!next) break;
    coefficients = next;
  }
  const residuals = z.map((value, i) => value - dot(features[i], coefficients as number[]));
  let sumSquares = 0;
  let inliers = 0;
  residuals.forEach((r, i) => {
    if (weights[i] > 0) {
      sumSquares += r * r;
      inliers++;
    }
  });
  return {
    coefficients,
    residuals,
    weights,
    inlierRms: inliers > 0 ? sqrt(sumSquares / inliers) : Number.NaN,
    inlierFraction: inliers / z.length,
  };
}
