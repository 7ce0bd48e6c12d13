import type { LeafHashes } from '@smilepay/audit/domain';

const LEAF_BYTES = 32;

/**
 * Leaf hashes in one growing byte array (32 bytes per event, no per-leaf object), for proofs over the whole
 * history. Bounded: past `maxLeaves` it stops accepting leaves and reports itself full, and the caller skips the
 * proofs that need it.
 */
export class LeafBuffer implements LeafHashes {
  readonly subtreeCache = new Map<string, Uint8Array>();
  private bytes = new Uint8Array(LEAF_BYTES * 1024);
  private count = 0;
  private overflowed = false;

  constructor(readonly maxLeaves: number) {}

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.overflowed;
  }

  push(leafHash: Uint8Array): void {
    if (this.overflowed) return;
    if (this.count >= this.maxLeaves) {
      this.overflowed = true;
      this.bytes = new Uint8Array(0);
      return;
    }
    if ((this.count + 1) * LEAF_BYTES > this.bytes.length) {
      const grown = new Uint8Array(Math.min(this.bytes.length * 2, this.maxLeaves * LEAF_BYTES));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(leafHash, this.count * LEAF_BYTES);
    this.count += 1;
  }

  leafHash(index: number): Uint8Array {
    if (index < 0 || index >= this.count) throw new RangeError(`leaf ${index} is outside 0..${this.count - 1}`);
    return this.bytes.subarray(index * LEAF_BYTES, (index + 1) * LEAF_BYTES);
  }
}
