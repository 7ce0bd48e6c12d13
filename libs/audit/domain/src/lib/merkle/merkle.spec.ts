import { fromHex, toHex } from '../crypto/bytes';
import { rfc6962Hasher } from './hasher';
import { consistencyProof, inclusionProof, verifyConsistency, verifyInclusion } from './proofs';
import { leafHashesOf, MerkleFrontier, merkleRoot, type LeafHashes } from './tree';

const hasher = rfc6962Hasher();

/** The eight leaves of the Certificate Transparency reference tests (RFC 6962 implementations, e.g. Trillian). */
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(fromHex);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const tree = (size: number): LeafHashes => leafHashesOf(hasher, LEAVES.slice(0, size));
const syntheticTree = (size: number): LeafHashes =>
  leafHashesOf(hasher, Array.from({ length: size }, (_, i) => Uint8Array.of(i & 0xff, i >> 8)));
const hexes = (nodes: Uint8Array[]) => nodes.map(toHex);
const flip = (bytes: Uint8Array): Uint8Array => {
  const copy = Uint8Array.from(bytes);
  copy[copy.length - 1] ^= 0x01;
  return copy;
};

describe('Merkle tree hash (RFC 6962 §2.1)', () => {
  it('matches the reference roots for 0 to 8 leaves', () => {
    for (let size = 0; size <= 8; size++) expect(toHex(merkleRoot(hasher, tree(size)))).toBe(ROOTS[size]);
  });

  it('separates leaves from nodes, so a node cannot pose as a leaf', () => {
    const two = tree(2);
    const asLeaf = hasher.leaf(new Uint8Array([...two.leafHash(0), ...two.leafHash(1)]));
    expect(toHex(asLeaf)).not.toBe(ROOTS[2]);
  });

  it('a frontier gives the same root as the full tree at every size, and survives a round trip through its peaks', () => {
    const leaves = syntheticTree(300);
    const frontier = new MerkleFrontier(hasher);
    expect(toHex(frontier.root())).toBe(ROOTS[0]);
    for (let size = 1; size <= leaves.size; size++) {
      frontier.appendLeafHash(leaves.leafHash(size - 1));
      const expected = toHex(merkleRoot(hasher, { size, leafHash: leaves.leafHash }));
      expect(toHex(frontier.root())).toBe(expected);
      const restored = MerkleFrontier.fromPeaks(hasher, size, frontier.peakHashes());
      expect(toHex(restored.root())).toBe(expected);
    }
  });

  it('refuses a peak list that does not fit the tree size', () => {
    const frontier = new MerkleFrontier(hasher);
    for (const leaf of LEAVES.slice(0, 7)) frontier.append(leaf);
    expect(frontier.peakHashes()).toHaveLength(3);
    expect(() => MerkleFrontier.fromPeaks(hasher, 8, frontier.peakHashes())).toThrow(RangeError);
  });
});

describe('inclusion proofs', () => {
  it('match the reference audit paths', () => {
    expect(hexes(inclusionProof(hasher, tree(8), 0))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(hexes(inclusionProof(hasher, tree(8), 5))).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(hexes(inclusionProof(hasher, tree(3), 2))).toEqual(['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']);
    expect(inclusionProof(hasher, tree(1), 0)).toEqual([]);
  });

  it('verify for every leaf of every tree up to 70 leaves', () => {
    const leaves = syntheticTree(70);
    for (let size = 1; size <= leaves.size; size++) {
      const root = merkleRoot(hasher, { size, leafHash: leaves.leafHash });
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(hasher, leaves, index, size);
        expect(verifyInclusion(hasher, leaves.leafHash(index), index, size, proof, root)).toBe(true);
      }
    }
  });

  it('fail when anything is altered', () => {
    const leaves = syntheticTree(21);
    const root = merkleRoot(hasher, leaves);
    const index = 13;
    const leaf = leaves.leafHash(index);
    const proof = inclusionProof(hasher, leaves, index);
    expect(verifyInclusion(hasher, leaf, index, 21, proof, root)).toBe(true);
    for (let i = 0; i < proof.length; i++) {
      const altered = proof.map((node, j) => (j === i ? flip(node) : node));
      expect(verifyInclusion(hasher, leaf, index, 21, altered, root)).toBe(false);
    }
    expect(verifyInclusion(hasher, flip(leaf), index, 21, proof, root)).toBe(false);
    expect(verifyInclusion(hasher, leaf, index, 21, proof, flip(root))).toBe(false);
    expect(verifyInclusion(hasher, leaf, index - 1, 21, proof, root)).toBe(false);
    // A proof binds the tree size only through its shape (the signed checkpoint binds the size itself): a size
    // whose tree has a different path shape must fail.
    expect(verifyInclusion(hasher, leaf, index, 16, proof, root)).toBe(false);
    expect(verifyInclusion(hasher, leaf, index, 40, proof, root)).toBe(false);
    expect(verifyInclusion(hasher, leaf, index, 21, proof.slice(1), root)).toBe(false);
    expect(verifyInclusion(hasher, leaf, index, 21, [...proof, proof[0]], root)).toBe(false);
    expect(verifyInclusion(hasher, leaf, 21, 21, proof, root)).toBe(false);
  });

  it('refuses to build a proof outside the tree', () => {
    expect(() => inclusionProof(hasher, tree(4), 4)).toThrow(RangeError);
    expect(() => inclusionProof(hasher, tree(0), 0)).toThrow(RangeError);
  });
});

describe('memoised subtrees', () => {
  it('give the same roots and proofs as rehashing, and fill the memo only with perfect aligned subtrees', () => {
    const plain = syntheticTree(1500);
    const memo: LeafHashes = { size: plain.size, leafHash: plain.leafHash, subtreeCache: new Map() };
    expect(toHex(merkleRoot(hasher, memo))).toBe(toHex(merkleRoot(hasher, plain)));
    for (const index of [0, 255, 256, 777, 1023, 1024, 1499]) {
      expect(hexes(inclusionProof(hasher, memo, index))).toEqual(hexes(inclusionProof(hasher, plain, index)));
    }
    for (const oldSize of [1, 256, 300, 1024, 1400]) {
      expect(hexes(consistencyProof(hasher, memo, oldSize))).toEqual(hexes(consistencyProof(hasher, plain, oldSize)));
    }
    const keys = [...(memo.subtreeCache as Map<string, Uint8Array>).keys()].map((key) => key.split(':').map(Number));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every(([start, size]) => size >= 256 && (size & (size - 1)) === 0 && start % size === 0)).toBe(true);
  });
});

describe('consistency proofs', () => {
  it('match the reference proofs', () => {
    expect(hexes(consistencyProof(hasher, tree(8), 1))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(hexes(consistencyProof(hasher, tree(8), 6))).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(hexes(consistencyProof(hasher, tree(5), 2))).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
  });

  it('verify between every pair of sizes up to 48 leaves', () => {
    const leaves = syntheticTree(48);
    const roots = [...Array(leaves.size + 1).keys()].map((size) => merkleRoot(hasher, { size, leafHash: leaves.leafHash }));
    for (let newSize = 0; newSize <= leaves.size; newSize++) {
      for (let oldSize = 0; oldSize <= newSize; oldSize++) {
        const proof = consistencyProof(hasher, leaves, oldSize, newSize);
        expect(verifyConsistency(hasher, oldSize, newSize, roots[oldSize], roots[newSize], proof)).toBe(true);
      }
    }
  });

  it('fail when a node, a root or a size is altered, or the old tree was rewritten', () => {
    const leaves = syntheticTree(37);
    const oldRoot = merkleRoot(hasher, { size: 11, leafHash: leaves.leafHash });
    const newRoot = merkleRoot(hasher, leaves);
    const proof = consistencyProof(hasher, leaves, 11);
    expect(verifyConsistency(hasher, 11, 37, oldRoot, newRoot, proof)).toBe(true);
    for (let i = 0; i < proof.length; i++) {
      const altered = proof.map((node, j) => (j === i ? flip(node) : node));
      expect(verifyConsistency(hasher, 11, 37, oldRoot, newRoot, altered)).toBe(false);
    }
    expect(verifyConsistency(hasher, 11, 37, flip(oldRoot), newRoot, proof)).toBe(false);
    expect(verifyConsistency(hasher, 11, 37, oldRoot, flip(newRoot), proof)).toBe(false);
    expect(verifyConsistency(hasher, 12, 37, oldRoot, newRoot, proof)).toBe(false);
    expect(verifyConsistency(hasher, 11, 70, oldRoot, newRoot, proof)).toBe(false);
    expect(verifyConsistency(hasher, 11, 16, oldRoot, newRoot, proof)).toBe(false);
    expect(verifyConsistency(hasher, 11, 37, oldRoot, newRoot, proof.slice(0, -1))).toBe(false);
    expect(verifyConsistency(hasher, 11, 37, oldRoot, newRoot, [])).toBe(false);
    expect(verifyConsistency(hasher, 37, 37, newRoot, flip(newRoot), [])).toBe(false);

    // A history where leaf 3 was changed after the old root was signed: no proof from that tree can reach oldRoot.
    const rewritten: LeafHashes = { size: 37, leafHash: (i) => (i === 3 ? flip(leaves.leafHash(i)) : leaves.leafHash(i)) };
    const rewrittenRoot = merkleRoot(hasher, rewritten);
    expect(verifyConsistency(hasher, 11, 37, oldRoot, rewrittenRoot, consistencyProof(hasher, rewritten, 11))).toBe(false);
  });
});
