import { randomBytes } from 'node:crypto';

/** Random unit vectors stand in for face embeddings in these tests; the real models are tested in biometrics. */
export function randomUnitVector(dimension = 512): Float32Array {
  const raw = randomBytes(dimension * 4);
  const out = new Float32Array(dimension);
  let sum = 0;
  for (let i = 0; i < dimension; i++) {
    out[i] = raw.readInt32LE(i * 4) / 2 ** 31;
    sum += out[i] * out[i];
  }
  const inverse = 1 / Math.sqrt(sum);
  for (let i = 0; i < dimension; i++) out[i] *= inverse;
  return out;
}
