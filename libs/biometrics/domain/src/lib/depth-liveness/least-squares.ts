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
  return solveNormalEquations(flatten(features, p), p, z, weights);
}

/** The rows of a design matrix one after another in one typed array (row i at [i p, (i + 1) p)). */
function flatten(features: readonly number[][], p: number): Float64Array {
  const flat = new Float64Array(features.length * p);
  for (let i = 0; i < features.length; i++) for (let r = 0; r < p; r++) flat[i * p + r] = features[i][r];
  return flat;
}

/**
 * The normal equations of a weighted fit over a flattened design matrix. The sums run in the same order, over the
 * same expressions, as the plain nested-array version did, so the coefficients are the same doubles.
 */
function solveNormalEquations(flat: Float64Array, p: number, z: ArrayLike<number>, weights: ArrayLike<number>): number[] | null {
  const normal = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  for (let i = 0; i < z.length; i++) {
    const w = weights[i];
    if (w === 0) continue;
    const row = i * p;
    const zi = z[i];
    for (let r = 0; r < p; r++) {
      const fr = flat[row + r];
      rhs[r] += w * fr * zi;
      for (let c = r; c < p; c++) normal[r * p + c] += w * fr * flat[row + c];
    }
  }
  const matrix = Array.from({ length: p }, (_, r) => Array.from({ length: p }, (_, c) => (c >= r ? normal[r * p + c] : normal[c * p + r])));
  return solveLinearSystem(matrix, Array.from(rhs));
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/**
 * A typed array's sort is numeric with no comparator call per step: about 5x faster than Array#sort with one, for
 * the same order. The robust fits take a median of every residual in every iteration, so this is their hot spot.
 * `new Float64Array(array)` copies directly; `Float64Array.from` walks the array through its iterator.
 */
function sortedCopy(values: ArrayLike<number>): Float64Array {
  return (values instanceof Float64Array ? values.slice() : new Float64Array(values as readonly number[])).sort();
}

export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  const copy = values instanceof Float64Array ? values.slice() : new Float64Array(values as readonly number[]);
  // Selection needs a total order: with a NaN present, fall back to the sort (which puts NaN last).
  for (let i = 0; i < copy.length; i++) if (copy[i] !== copy[i]) return medianOfSorted(copy.sort());
  const mid = copy.length >> 1;
  const upper = selectKth(copy, mid);
  if (copy.length % 2 === 1) return upper;
  // After selecting `mid`, everything before it is ≤ it: the lower middle value is their maximum.
  let lower = copy[0];
  for (let i = 1; i < mid; i++) if (copy[i] > lower) lower = copy[i];
  return (lower + upper) / 2;
}

function medianOfSorted(sorted: Float64Array): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Hoare's quickselect: rearranges `a` so that a[k] is the value a sort would put there, everything before it ≤ it
 * and everything after ≥ it, in linear expected time. The robust fits take a median of every residual in every
 * iteration; the value is the sorted one, so the fits do not change.
 */
function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
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
  const p = features[0]?.length ?? 0;
  const flat = flatten(features, p);
  const n = z.length;
  let weights = new Float64Array(n).fill(1);
  let coefficients = solveNormalEquations(flat, p, z, weights);
  if (!coefficients) return null;
  const residuals = new Float64Array(n);
  const absolute = new Float64Array(n);
  for (let iteration = 0; iteration < iterations; iteration++) {
    residualsOf(flat, p, z, coefficients, residuals);
    for (let i = 0; i < n; i++) absolute[i] = abs(residuals[i]);
    const scale = max(minScale, MAD_TO_SIGMA * median(absolute));
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = residuals[i] / (TUKEY_C * scale);
      next[i] = abs(u) < 1 ? (1 - u * u) ** 2 : 0;
    }
    weights = next;
    const fitted = solveNormalEquations(flat, p, z, weights);
    if (!fitted) break;
    coefficients = fitted;
  }
  residualsOf(flat, p, z, coefficients, residuals);
  let sumSquares = 0;
  let inliers = 0;
  for (let i = 0; i < n; i++) {
    if (weights[i] > 0) {
      sumSquares += residuals[i] * residuals[i];
      inliers++;
    }
  }
  return {
    coefficients,
    residuals: Array.from(residuals),
    weights: Array.from(weights),
    inlierRms: inliers > 0 ? sqrt(sumSquares / inliers) : Number.NaN,
    inlierFraction: inliers / n,
  };
}

/** z_i − features_i · coefficients, with the dot product summed left to right as `dot` does. */
function residualsOf(flat: Float64Array, p: number, z: readonly number[], coefficients: readonly number[], out: Float64Array): void {
  for (let i = 0; i < z.length; i++) {
    let sum = 0;
    for (let k = 0; k < p; k++) sum += flat[i * p + k] * coefficients[k];
    out[i] = z[i] - sum;
  }
}
