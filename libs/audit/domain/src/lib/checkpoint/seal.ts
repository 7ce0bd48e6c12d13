import { fromHex, toHex } from '../crypto/bytes';
import type { Sha256 } from '../crypto/sha256';
import type { MerkleHasher } from '../merkle/hasher';
import { MerkleFrontier } from '../merkle/tree';
import type { AuditCheckpointSealedData } from './audit-events';
import { checkpointDigest, checkpointSigningPayload, type SignMessage, type UnsignedCheckpoint } from './signing';

/** Where the next seal continues: the cumulative tree and the link to the last checkpoint. */
export interface SealCursor {
  /** Position of the last sealed event; -1n before the first checkpoint. */
  toPosition: bigint;
  tree: MerkleFrontier;
  previousCheckpointHash: string;
}

export function genesisCursor(hasher: MerkleHasher): SealCursor {
  return { toPosition: -1n, tree: new MerkleFrontier(hasher), previousCheckpointHash: '' };
}

/**
 * The cursor after a stored checkpoint. The stored frontier is trusted only if it folds to the signed root; the
 * caller verifies that signature first (a sealer must never extend a checkpoint it did not sign itself).
 */
export function cursorAfter(hasher: MerkleHasher, hash: Sha256, checkpoint: AuditCheckpointSealedData): SealCursor {
  const tree = MerkleFrontier.fromPeaks(hasher, Number(checkpoint.treeSize), checkpoint.frontier.map(fromHex));
  if (toHex(tree.root()) !== checkpoint.merkleRoot) {
    throw new Error(`checkpoint up to position ${checkpoint.toPosition}: its frontier does not fold to its merkle root`);
  }
  return { toPosition: BigInt(checkpoint.toPosition), tree, previousCheckpointHash: checkpointDigest(hash, checkpoint) };
}

/** One event to seal: its position in $all and its stored hash (hex). */
export interface SealedLeaf {
  position: bigint;
  hash: string;
}

export interface SealRequest {
  ledgerName: string;
  keyId: string;
  sealedAt: string;
  /** Events after cursor.toPosition, in position order, none skipped. */
  leaves: readonly SealedLeaf[];
}

/**
 * Builds and signs the next checkpoint. Pure apart from `sign`; the cursor is not modified, the new one is returned
 * for the caller to keep once the checkpoint is durably appended.
 */
export function sealCheckpoint(
  hasher: MerkleHasher,
  hash: Sha256,
  cursor: SealCursor,
  request: SealRequest,
  sign: SignMessage,
): { data: AuditCheckpointSealedData; next: SealCursor } {
  const { leaves } = request;
  if (leaves.length === 0) throw new RangeError('a checkpoint seals at least one event');
  const tree = cursor.tree.clone();
  let previous = cursor.toPosition;
  for (const leaf of leaves) {
    if (leaf.position <= previous) throw new RangeError(`leaves must follow position ${previous}, got ${leaf.position}`);
    tree.appendLeafHash(hasher.leaf(fromHex(leaf.hash)));
    previous = leaf.position;
  }
  const unsigned: UnsignedCheckpoint = {
    ledgerName: request.ledgerName,
    fromPosition: leaves[0].position.toString(),
    toPosition: previous.toString(),
    eventCount: String(leaves.length),
    treeSize: String(tree.size),
    merkleRoot: toHex(tree.root()),
    frontier: tree.peakHashes().map(toHex),
    previousCheckpointHash: cursor.previousCheckpointHash,
    keyId: request.keyId,
    sealedAt: request.sealedAt,
  };
  const data = { ...unsigned, signature: sign(checkpointSigningPayload(unsigned)) };
  return { data, next: { toPosition: previous, tree, previousCheckpointHash: checkpointDigest(hash, unsigned) } };
}
