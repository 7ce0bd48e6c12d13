import { fromHex, toHex } from '../crypto/bytes';
import type { MerkleHasher } from '../merkle/hasher';
import { MerkleFrontier } from '../merkle/tree';
import type { CheckpointFailure, CheckpointRecord } from './audit-stream-verification';

interface OpenRange {
  checkpoint: CheckpointRecord;
  firstPosition: bigint | undefined;
  lastPosition: bigint | undefined;
  count: number;
  unreadable: number;
}

export interface SealedRangeSummary {
  /** Events inside some checkpoint's range. */
  sealedEvents: number;
  /** Events after the last checkpoint: not sealed yet. */
  unsealedEvents: number;
  failures: CheckpointFailure[];
}

/**
 * Streams every event of $all (in position order) past the checkpoints and recomputes each checkpoint's root.
 * Checkpoint k seals the events with position in (toPosition of k-1, toPosition of k]. Its root is recomputed from
 * the tree after k-1 plus those events' hashes, where "the tree after k-1" is k-1's signed frontier when k-1 is
 * authentic: so one altered event fails exactly the checkpoint that covers it, not every later cumulative root.
 * Memory: O(log n) for the tree, O(checkpoints) for the list.
 */
export class SealedRangeChecker {
  private readonly checkpoints: CheckpointRecord[];
  private tree: MerkleFrontier;
  private index = 0;
  private open: OpenRange | undefined;
  private readonly summary: SealedRangeSummary = { sealedEvents: 0, unsealedEvents: 0, failures: [] };
  private lastPosition = -1n;

  constructor(
    private readonly hasher: MerkleHasher,
    checkpoints: readonly CheckpointRecord[],
  ) {
    // Checkpoints whose ranges go backwards were already reported (bad_range); they cannot be placed on $all.
    this.checkpoints = [];
    for (const checkpoint of checkpoints) {
      const previous = this.checkpoints[this.checkpoints.length - 1];
      if (previous === undefined || checkpoint.toPosition > previous.toPosition) this.checkpoints.push(checkpoint);
    }
    this.tree = new MerkleFrontier(hasher);
  }

  /**
   * Adds the next event of $all. `eventHash` is the hash recomputed from the event's content (hex), or undefined
   * when the content could not be read: the covering checkpoint then fails.
   */
  add(position: bigint, eventHash: string | undefined): void {
    this.addLeafHash(position, eventHash === undefined ? undefined : this.hasher.leaf(fromHex(eventHash)));
  }

  /** Same as add, with the leaf hash H(0x00 || event hash) already computed (the verifier keeps it for proofs). */
  addLeafHash(position: bigint, leafHash: Uint8Array | undefined): void {
    if (position <= this.lastPosition) throw new RangeError(`events must come in position order: ${position} after ${this.lastPosition}`);
    this.lastPosition = position;
    while (this.index < this.checkpoints.length && position > this.checkpoints[this.index].toPosition) this.close();
    if (this.index >= this.checkpoints.length) {
      this.summary.unsealedEvents += 1;
      return;
    }
    const range = (this.open ??= { checkpoint: this.checkpoints[this.index], firstPosition: undefined, lastPosition: undefined, count: 0, unreadable: 0 });
    range.firstPosition ??= position;
    range.lastPosition = position;
    range.count += 1;
    this.summary.sealedEvents += 1;
    if (leafHash === undefined) {
      range.unreadable += 1;
      // Keep the tree's shape so the counts still line up; the root cannot match anyway.
      this.tree.appendLeafHash(this.hasher.empty());
    } else {
      this.tree.appendLeafHash(leafHash);
    }
  }

  /** Closes the checkpoints whose events never arrived (removed from the store) and returns the summary. */
  finish(): SealedRangeSummary {
    while (this.index < this.checkpoints.length) this.close();
    return this.summary;
  }

  /** The checkpoint whose range holds `position`, if any. */
  covering(position: bigint): CheckpointRecord | undefined {
    return coveringCheckpoint(this.checkpoints, position);
  }

  private close(): void {
    const checkpoint = this.checkpoints[this.index];
    const range = this.open ?? { checkpoint, firstPosition: undefined, lastPosition: undefined, count: 0, unreadable: 0 };
    this.summary.failures.push(...rangeFailures(range, this.tree));
    // Continue from the signed tree when it is authentic, so the next checkpoint is judged on its own events only.
    if (checkpoint.authentic) {
      this.tree = MerkleFrontier.fromPeaks(this.hasher, checkpoint.treeSize, checkpoint.data.frontier.map(fromHex));
    }
    this.open = undefined;
    this.index += 1;
  }
}

function rangeFailures(range: OpenRange, tree: MerkleFrontier): CheckpointFailure[] {
  const { checkpoint } = range;
  const at = {
    revision: checkpoint.revision,
    position: checkpoint.position,
    eventId: checkpoint.eventId,
    eventType: 'AuditCheckpointSealed',
    fromPosition: checkpoint.fromPosition,
    toPosition: checkpoint.toPosition,
  };
  const failures: CheckpointFailure[] = [];
  if (range.count !== checkpoint.eventCount) {
    failures.push({ ...at, reason: 'event_count_mismatch', message: `seals ${checkpoint.eventCount} events, the store holds ${range.count} in its range` });
  }
  if (range.count > 0 && (range.firstPosition !== checkpoint.fromPosition || range.lastPosition !== checkpoint.toPosition)) {
    failures.push({
      ...at,
      reason: 'range_mismatch',
      message: `seals positions ${checkpoint.fromPosition}..${checkpoint.toPosition}, the store holds ${range.firstPosition}..${range.lastPosition}`,
    });
  }
  const root = toHex(tree.root());
  if (root !== checkpoint.data.merkleRoot || tree.size !== checkpoint.treeSize) {
    const unreadable = range.unreadable > 0 ? ` (${range.unreadable} unreadable events in range)` : '';
    failures.push({
      ...at,
      reason: 'root_mismatch',
      message: `signed root ${checkpoint.data.merkleRoot} over ${checkpoint.treeSize} events, recomputed ${root} over ${tree.size}${unreadable}`,
    });
  }
  return failures;
}

/** Binary search over checkpoints sorted by toPosition: the first whose toPosition ≥ position. */
export function coveringCheckpoint(checkpoints: readonly CheckpointRecord[], position: bigint): CheckpointRecord | undefined {
  let lo = 0;
  let hi = checkpoints.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (checkpoints[mid].toPosition < position) lo = mid + 1;
    else hi = mid;
  }
  return checkpoints[lo];
}
