/**
 * Face embeddings and consent for the api's tests. The api matches vectors; the real face models are exercised in the
 * gateway's and the simulator's tests, so here a deterministic pseudo-random unit vector stands for a face.
 */
export const CONSENT = { consentText: 'I agree that smilepay stores an encrypted template of my face to authorise payments.', consentTextVersion: 'v1', purpose: 'face payment', retentionTermDays: 1095 };

/** A 512-D unit vector from a seed in (0, 1): the same seed gives the same "face". */
export function unitVector(seed = Math.random()): Float32Array {
  const v = new Float32Array(512);
  let state = Math.floor(seed * 2 ** 31) || 1;
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    v[i] = state / 2 ** 31 - 0.5;
    norm += v[i] * v[i];
  }
  return v.map((x) => x / Math.sqrt(norm));
}

/** Another capture of the same face: an identical vector twice looks like a replay. Similarity ≈ 1/√(1 + amount²). */
export function noisy(v: Float32Array, amount: number, seed = Math.random()): Float32Array {
  const noise = unitVector(seed);
  const mixed = v.map((x, i) => x + amount * noise[i]);
  const norm = Math.sqrt(mixed.reduce((s, x) => s + x * x, 0));
  return mixed.map((x) => x / norm);
}

/** The gateway's wire encoding of an embedding (float32 little-endian, base64). */
export const wire = (v: Float32Array) => ({ encoding: 'float32le-base64', dimensions: v.length, data: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') });
