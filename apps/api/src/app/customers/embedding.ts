import { BadRequestException } from '@nestjs/common';

/** Most dimensions an embedding may claim; the models in use produce 512. */
const MAX_DIMENSIONS = 2048;

/**
 * Decodes a probe embedding sent as little-endian float32 in base64. Refuses anything that is not exactly
 * `dimensions` finite values of (about) unit length, so a malformed probe can never reach the matcher.
 */
export function decodeEmbedding(input: { encoding: string; dimensions: number; data: string }): Float32Array {
  const refuse = (message: string) => new BadRequestException({ code: 'embedding_invalid', message, details: {} });
  if (input.encoding !== 'float32le-base64') throw refuse('embedding encoding must be float32le-base64');
  if (!Number.isInteger(input.dimensions) || input.dimensions < 1 || input.dimensions > MAX_DIMENSIONS) throw refuse('embedding dimensions out of range');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.data)) throw refuse('embedding data is not base64');
  const bytes = Buffer.from(input.data, 'base64');
  if (bytes.length !== input.dimensions * 4) throw refuse(`embedding has ${bytes.length} bytes, expected ${input.dimensions * 4}`);
  const vector = new Float32Array(input.dimensions);
  let norm = 0;
  for (let i = 0; i < input.dimensions; i++) {
    const value = bytes.readFloatLE(i * 4);
    if (!Number.isFinite(value)) throw refuse('embedding has a non-finite value');
    vector[i] = value;
    norm += value * value;
  }
  if (Math.abs(Math.sqrt(norm) - 1) > 1e-3) throw refuse('embedding must be L2-normalised');
  return vector;
}
