import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { type EventHasher, eventHashInput, type MerkleHasher, type Sha256, type SignMessage, type VerifySignature } from '@smilepay/audit/domain';

/** node:crypto SHA-256: the same function as the domain's pure one (its spec checks), several times faster. */
export const nodeSha256: Sha256 = (message) => createHash('sha256').update(message).digest();

/** The documented event hash (audit domain's eventHashInput) on node:crypto. */
export const nodeEventHasher: EventHasher = (event) => createHash('sha256').update(eventHashInput(event), 'utf8').digest('hex');

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);
const EMPTY = createHash('sha256').digest();

/** RFC 6962 hasher on node:crypto, feeding the prefix and children without concatenating them first. */
export const nodeMerkleHasher: MerkleHasher = {
  leaf: (data) => createHash('sha256').update(LEAF_PREFIX).update(data).digest(),
  node: (left, right) => createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest(),
  empty: () => Uint8Array.from(EMPTY),
};

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it (RFC 8410). */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Raw 32-byte public key (base64), the form audit events carry. */
export function rawPublicKeyOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new TypeError(`expected an Ed25519 key, got ${publicKey.asymmetricKeyType}`);
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return der.subarray(SPKI_ED25519_PREFIX.length).toString('base64');
}

export function publicKeyFromRaw(rawBase64: string): KeyObject {
  const raw = Buffer.from(rawBase64, 'base64');
  if (raw.length !== 32) throw new RangeError(`an Ed25519 public key has 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** Ed25519 verification for the domain: any malformed key or signature is a failed verification, not a throw. */
export const verifyEd25519: VerifySignature = (publicKey, message, signature) => {
  try {
    const bytes = Buffer.from(signature, 'base64');
    if (bytes.length !== 64) return false;
    return verify(null, message, publicKeyFromRaw(publicKey), bytes);
  } catch {
    return false;
  }
};

export function ed25519Signer(privateKey: KeyObject): SignMessage {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('the sealing key must be Ed25519');
  return (message) => sign(null, message, privateKey).toString('base64');
}

/**
 * Reads a public key as auditors receive it: a PEM "PUBLIC KEY" (SPKI, as `openssl pkey -pubout` writes) or the
 * raw 32-byte key in base64. Returns the raw base64 form.
 */
export function parsePublicKeyText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return rawPublicKeyOf(createPublicKey(trimmed));
  if (/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) {
    publicKeyFromRaw(trimmed);
    return trimmed;
  }
  throw new TypeError('not an Ed25519 public key: expected a PEM "PUBLIC KEY" block or 32 raw bytes in base64');
}
