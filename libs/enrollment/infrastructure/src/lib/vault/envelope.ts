import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM envelope encryption (node:crypto). Each customer has a 256-bit data key; templates are encrypted under
 * it, and it is stored only wrapped (encrypted) under the master key. Destroying the wrapped key therefore makes every
 * template of that customer unrecoverable, wherever copies of the ciphertext may be (crypto-shredding).
 *
 * Associated data binds each ciphertext to where it belongs (its ref, customer and model version), so a row copied onto
 * another customer, or a wrapped key moved to another customer, fails authentication instead of decrypting.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

export interface Sealed {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

export class EnvelopeAuthenticationError extends Error {
  constructor() {
    super('ciphertext failed authentication');
    this.name = 'EnvelopeAuthenticationError';
  }
}

export function seal(key: Buffer, plaintext: Buffer, associatedData: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, iv, tag: cipher.getAuthTag() };
}

export function open(key: Buffer, sealed: Sealed, associatedData: string): Buffer {
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) throw new EnvelopeAuthenticationError();
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(sealed.tag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    throw new EnvelopeAuthenticationError();
  }
}

/** A wrapped data key as one string: base64(iv ‖ tag ‖ ciphertext). */
export function wrapKey(masterKey: Buffer, dataKey: Buffer, associatedData: string): string {
  const { ciphertext, iv, tag } = seal(masterKey, dataKey, associatedData);
  return Buffer.concat([iv, tag, ciphertext]).toString('base64');
}

export function unwrapKey(masterKey: Buffer, wrapped: string, associatedData: string): Buffer {
  const bytes = Buffer.from(wrapped, 'base64');
  const sealed = {
    iv: bytes.subarray(0, IV_BYTES),
    tag: bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
    ciphertext: bytes.subarray(IV_BYTES + TAG_BYTES),
  };
  const key = open(masterKey, sealed, associatedData);
  if (key.length !== DATA_KEY_BYTES) throw new EnvelopeAuthenticationError();
  return key;
}

export const newDataKey = (): Buffer => randomBytes(DATA_KEY_BYTES);
