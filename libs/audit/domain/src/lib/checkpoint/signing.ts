import { fromBase64, toHex, utf8 } from '../crypto/bytes';
import { canonicalJson } from '../crypto/canonical-json';
import type { Sha256 } from '../crypto/sha256';
import type { AuditCheckpointSealedData, AuditKeyRotatedData } from './audit-events';

/**
 * What gets signed. A scheme line first, so a signature made for one purpose (a checkpoint) can never be replayed
 * as another (a key rotation), then canonical JSON of every field except the signatures and the frontier.
 */
export const CHECKPOINT_SCHEME = 'smilepay.audit.checkpoint.v1';
export const KEY_ROTATION_SCHEME = 'smilepay.audit.key-rotation.v1';

/** Checks an Ed25519 signature (base64) over `message` with a raw public key (base64). Must never throw. */
export type VerifySignature = (publicKey: string, message: Uint8Array, signature: string) => boolean;
/** Signs `message` with the key whose id the caller already put in the payload; returns base64. */
export type SignMessage = (message: Uint8Array) => string;

export type UnsignedCheckpoint = Omit<AuditCheckpointSealedData, 'signature'>;
export type UnsignedKeyRotation = Omit<AuditKeyRotatedData, 'signature' | 'newKeySignature'>;

export function checkpointSigningPayload(data: UnsignedCheckpoint): Uint8Array {
  const signed = {
    ledgerName: data.ledgerName,
    fromPosition: data.fromPosition,
    toPosition: data.toPosition,
    eventCount: data.eventCount,
    treeSize: data.treeSize,
    merkleRoot: data.merkleRoot,
    previousCheckpointHash: data.previousCheckpointHash,
    keyId: data.keyId,
    sealedAt: data.sealedAt,
  };
  return utf8(`${CHECKPOINT_SCHEME}\n${canonicalJson(signed)}`);
}

export function rotationSigningPayload(data: UnsignedKeyRotation): Uint8Array {
  const signed = {
    ledgerName: data.ledgerName,
    oldKeyId: data.oldKeyId,
    oldPublicKey: data.oldPublicKey,
    newKeyId: data.newKeyId,
    newPublicKey: data.newPublicKey,
    previousCheckpointHash: data.previousCheckpointHash,
    rotatedAt: data.rotatedAt,
  };
  return utf8(`${KEY_ROTATION_SCHEME}\n${canonicalJson(signed)}`);
}

/** The hash the next checkpoint links to: SHA-256 (hex) of this checkpoint's signing payload. */
export function checkpointDigest(hash: Sha256, data: UnsignedCheckpoint): string {
  return toHex(hash(checkpointSigningPayload(data)));
}

/** A key's id: the first 16 bytes (32 hex digits) of SHA-256 over the raw 32-byte public key. */
export function keyIdOf(hash: Sha256, publicKey: string): string {
  const raw = fromBase64(publicKey);
  if (raw.length !== 32) throw new RangeError(`an Ed25519 public key has 32 bytes, got ${raw.length}`);
  return toHex(hash(raw)).slice(0, 32);
}
