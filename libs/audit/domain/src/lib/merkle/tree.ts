import { equalBytes } from '../crypto/bytes';
import type { MerkleHasher } from './hasher';

/**
 * RFC 6962 §2.1 Merkle Tree Hash. For n > 1 leaves the tree splits at k, the largest power of two smaller than n:
 * MTH(D[n]) = H(0x01 || MTH(D[0:k]) || MTH(D[k:n])). Tree sizes and indices are plain numbers, checked to be safe
 * integers: 2^53 leaves is far beyond any store this runs against.
 */

/** Random access to leaf hashes (already H(0x00 || leaf)), for proofs over a tree held elsewhere. */
export interface LeafHashes {
  readonly size: number;
  leafHash(index: number): Uint8Array;
  /**
   * Optional memo of aligned perfect subtree roots (key `start:size`), filled by subtreeRoot. Proofs over a large
   * tree then cost O(log² n) hashes after the first, instead of O(n) each.
   */
  readonly subtreeCache?: Map<string, Uint8Array>;
}

/** Subtrees smaller than this are cheaper to rehash than to memoise. */
const MEMO_MIN_SIZE = 256;

/** Largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function requireTreeIndex(name: string, value: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer from 0 to ${max}, got ${String(value)}`);
  }
}

/** MTH over leaf hashes [start, end). Recursion depth is log2(end - start). */
export function subtreeRoot(hasher: MerkleHasher, leaves: LeafHashes, start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 0) return hasher.empty();
  if (n === 1) return leaves.leafHash(start);
  const cache = leaves.subtreeCache;
  const memo = cache !== undefined && n >= MEMO_MIN_SIZE && isPerfectAligned(start, n);
  const key = `${start}:${n}`;
  const cached = memo ? cache.get(key) : undefined;
  if (cached !== undefined) return cached;
  const k = splitPoint(n);
  const root = hasher.node(subtreeRoot(hasher, leaves, start, start + k), subtreeRoot(hasher, leaves, start + k, end));
  if (memo) cache.set(key, root);
  return root;
}

/** A perfect subtree of the full tree: power-of-two size, starting at a multiple of it. Its root never changes. */
function isPerfectAligned(start: number, n: number): boolean {
  let size = n;
  while (size > 1 && size % 2 === 0) size /= 2;
  return size === 1 && start % n === 0;
}

/** Root of the whole tree (MTH(D[n])). */
export function merkleRoot(hasher: MerkleHasher, leaves: LeafHashes): Uint8Array {
  return subtreeRoot(hasher, leaves, 0, leaves.size);
}

/** Leaf hashes of raw leaves, for small in-memory trees (tests, single proofs). */
export function leafHashesOf(hasher: MerkleHasher, data: readonly Uint8Array[]): LeafHashes {
  const hashes = data.map((item) => hasher.leaf(item));
  return { size: hashes.length, leafHash: (index) => hashes[index] };
}

/** Number of set bits: a tree of size n has one perfect "peak" subtree per set bit. */
export function peakCount(size: number): number {
  let count = 0;
  for (let rest = size; rest > 0; rest = Math.floor(rest / 2)) count += rest % 2;
  return count;
}

/**
 * An append-only tree kept as its peaks (the perfect subtrees of the binary decomposition of its size, largest
 * first): O(log n) memory whatever the size. Folding the peaks right to left gives exactly RFC 6962's MTH, because
 * the RFC's left subtree at every split is the largest perfect subtree. Sealers and verifiers stream millions of
 * events through it; checkpoints store the peaks so the next seal can continue without re-reading history.
 */
export class MerkleFrontier {
  private readonly peaks: { size: number; hash: Uint8Array }[] = [];
  private count = 0;

  constructor(private readonly hasher: MerkleHasher) {}

  /** Rebuilds a frontier from stored peaks (largest first). Throws when the peak count does not fit the size. */
  static fromPeaks(hasher: MerkleHasher, size: number, peaks: readonly Uint8Array[]): MerkleFrontier {
    requireTreeIndex('tree size', size);
    if (peaks.length !== peakCount(size)) {
      throw new RangeError(`a tree of ${size} leaves has ${peakCount(size)} peaks, got ${peaks.length}`);
    }
    const frontier = new MerkleFrontier(hasher);
    let bit = 1;
    while (bit * 2 <= size) bit *= 2;
    let index = 0;
    for (; bit >= 1; bit /= 2) {
      if (Math.floor(size / bit) % 2 === 1) frontier.peaks.push({ size: bit, hash: peaks[index++] });
    }
    frontier.count = size;
    return frontier;
  }

  get size(): number {
    return this.count;
  }

  /** Appends a leaf whose hash is already H(0x00 || data). */
  appendLeafHash(leafHash: Uint8Array): void {
    let carry = { size: 1, hash: leafHash };
    while (this.peaks.length > 0 && this.peaks[this.peaks.length - 1].size === carry.size) {
      const left = this.peaks.pop() as { size: number; hash: Uint8Array };
      carry = { size: left.size * 2, hash: this.hasher.node(left.hash, carry.hash) };
    }
    this.peaks.push(carry);
    this.count += 1;
  }

  append(data: Uint8Array): void {
    this.appendLeafHash(this.hasher.leaf(data));
  }

  root(): Uint8Array {
    if (this.peaks.length === 0) return this.hasher.empty();
    let root = this.peaks[this.peaks.length - 1].hash;
    for (let i = this.peaks.length - 2; i >= 0; i--) root = this.hasher.node(this.peaks[i].hash, root);
    return root;
  }

  /** Peak hashes, largest subtree first. */
  peakHashes(): Uint8Array[] {
    return this.peaks.map((peak) => peak.hash);
  }

  clone(): MerkleFrontier {
    return MerkleFrontier.fromPeaks(this.hasher, this.count, this.peakHashes());
  }

  sameRootAs(root: Uint8Array): boolean {
    return equalBytes(this.root(), root);
  }
}
