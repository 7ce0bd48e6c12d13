import { equalBytes } from '../crypto/bytes';
import type { MerkleHasher } from './hasher';
import { type LeafHashes, requireTreeIndex, splitPoint, subtreeRoot } from './tree';

/**
 * RFC 6962 §2.1.1 audit paths and §2.1.2 consistency proofs, and their verification as specified in RFC 9162
 * §2.1.3.2 and §2.1.4.2 (the same proofs, with the verification algorithm written out).
 */

/** Longest proof accepted: a proof has at most one node per tree level, and sizes are below 2^53. */
const MAX_PROOF_NODES = 64;

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/** PATH(m, D[n]): the sibling subtree roots from leaf `index` up to the root of the first `size` leaves. */
export function inclusionProof(hasher: MerkleHasher, leaves: LeafHashes, index: number, size = leaves.size): Uint8Array[] {
  requireTreeIndex('tree size', size, leaves.size);
  if (size === 0) throw new RangeError('an empty tree has no inclusion proofs');
  requireTreeIndex('leaf index', index, size - 1);
  const path: Uint8Array[] = [];
  let start = 0;
  let end = size;
  // Walk down from the root; collect siblings top-down, then return them bottom-up as the RFC orders them.
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      path.push(subtreeRoot(hasher, leaves, start + k, end));
      end = start + k;
    } else {
      path.push(subtreeRoot(hasher, leaves, start, start + k));
      start += k;
    }
  }
  return path.reverse();
}

/** Recomputes the root from a leaf hash and its audit path; true when it equals `root`. */
export function verifyInclusion(
  hasher: MerkleHasher,
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (proof.length > MAX_PROOF_NODES) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = hasher.node(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hasher.node(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/** PROOF(m, D[n]): proves the tree of the first `oldSize` leaves is a prefix of the tree of `newSize` leaves. */
export function consistencyProof(hasher: MerkleHasher, leaves: LeafHashes, oldSize: number, newSize = leaves.size): Uint8Array[] {
  requireTreeIndex('new size', newSize, leaves.size);
  requireTreeIndex('old size', oldSize, newSize);
  if (oldSize === 0 || oldSize === newSize) return [];
  return subproof(hasher, leaves, oldSize, 0, newSize, true);
}

/** SUBPROOF(m, D[start:end], b) of RFC 6962 §2.1.2, with m counted from `start`. */
function subproof(hasher: MerkleHasher, leaves: LeafHashes, m: number, start: number, end: number, complete: boolean): Uint8Array[] {
  const n = end - start;
  if (m === n) return complete ? [] : [subtreeRoot(hasher, leaves, start, end)];
  const k = splitPoint(n);
  if (m <= k) {
    return [...subproof(hasher, leaves, m, start, start + k, complete), subtreeRoot(hasher, leaves, start + k, end)];
  }
  return [...subproof(hasher, leaves, m - k, start + k, end, false), subtreeRoot(hasher, leaves, start, start + k)];
}

/** True when `proof` shows the tree with root `oldRoot` (size oldSize) is a prefix of `newRoot` (size newSize). */
export function verifyConsistency(
  hasher: MerkleHasher,
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (proof.length > MAX_PROOF_NODES) return false;
  // The empty tree is a prefix of every tree; equal sizes must have equal roots and need no proof.
  if (oldSize === 0) return proof.length === 0;
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hasher.node(c, fr);
      sr = hasher.node(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hasher.node(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}

function isPowerOfTwo(n: number): boolean {
  let rest = n;
  while (rest > 1 && rest % 2 === 0) rest /= 2;
  return rest === 1;
}
