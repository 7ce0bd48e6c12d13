/**
 * The plaintext layout of a template before encryption: a version byte, the dimension as uint16, then float32
 * little-endian values. Fixed-endian so a vault copied between machines still decodes.
 */
const FORMAT_V1 = 1;
export const MAX_EMBEDDING_DIMENSION = 4_096;

export class InvalidEmbeddingError extends Error {
  constructor(reason: string) {
    super(`invalid embedding: ${reason}`);
    this.name = 'InvalidEmbeddingError';
  }
}

export function validateEmbedding(embedding: ArrayLike<number>): void {
  if (embedding.length === 0 || embedding.length > MAX_EMBEDDING_DIMENSION) {
    throw new InvalidEmbeddingError(`dimension must be in [1, ${MAX_EMBEDDING_DIMENSION}]`);
  }
  for (let i = 0; i < embedding.length; i++) {
    if (!Number.isFinite(embedding[i])) throw new InvalidEmbeddingError('values must be finite');
  }
}

export function encodeEmbedding(embedding: ArrayLike<number>): Buffer {
  validateEmbedding(embedding);
  const buffer = Buffer.alloc(3 + embedding.length * 4);
  buffer.writeUInt8(FORMAT_V1, 0);
  buffer.writeUInt16LE(embedding.length, 1);
  for (let i = 0; i < embedding.length; i++) buffer.writeFloatLE(embedding[i], 3 + i * 4);
  return buffer;
}

export function decodeEmbedding(buffer: Buffer): Float32Array {
  if (buffer.length < 3 || buffer.readUInt8(0) !== FORMAT_V1) throw new InvalidEmbeddingError('unknown format');
  const dimension = buffer.readUInt16LE(1);
  if (buffer.length !== 3 + dimension * 4) throw new InvalidEmbeddingError('length does not match the dimension');
  const out = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) out[i] = buffer.readFloatLE(3 + i * 4);
  return out;
}
