import { sha256, type Sha256 } from '../crypto/sha256';

/**
 * RFC 6962 §2.1 domain separation: a leaf is hashed as H(0x00 || leaf) and an interior node as
 * H(0x01 || left || right), so no leaf can be passed off as an interior node (second-preimage resistance).
 */
export interface MerkleHasher {
  /** H(0x00 || data). */
  leaf(data: Uint8Array): Uint8Array;
  /** H(0x01 || left || right). */
  node(left: Uint8Array, right: Uint8Array): Uint8Array;
  /** H() with no input: the root of the empty tree. */
  empty(): Uint8Array;
}

/** Builds the RFC 6962 hasher over any SHA-256 implementation (pure TS by default; node:crypto in the application). */
export function rfc6962Hasher(hash: Sha256 = sha256): MerkleHasher {
  return {
    leaf(data) {
      const input = new Uint8Array(data.length + 1);
      input[0] = 0x00;
      input.set(data, 1);
      return hash(input);
    },
    node(left, right) {
      const input = new Uint8Array(left.length + right.length + 1);
      input[0] = 0x01;
      input.set(left, 1);
      input.set(right, 1 + left.length);
      return hash(input);
    },
    empty() {
      return hash(new Uint8Array(0));
    },
  };
}
