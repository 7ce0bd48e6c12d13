/**
 * Cosine similarity of two embeddings, in [-1, 1]. It does not assume the inputs are normalised, so a stored
 * template from another pipeline version still compares correctly. Zero vectors have no direction: they score 0.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`embedding lengths differ: ${a.length} vs ${b.length}`);
  }
  if (a.length === 0) {
    throw new RangeError('embeddings are empty');
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  if (normA === 0 || normB === 0) return 0;
  const cosine = dot / Math.sqrt(normA * normB);
  // Rounding can push a self-comparison a hair past 1.
  return Math.max(-1, Math.min(1, cosine));
}

/** Returns a unit-length copy; a zero vector stays zero. */
export function l2Normalize(vector: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  const out = new Float32Array(vector.length);
  if (sum === 0) return out;
  const inverse = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i] * inverse;
  return out;
}
