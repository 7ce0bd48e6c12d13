import {
  type AuditStreamVerification,
  auditCheckpointStreamId,
  type CheckpointRecord,
  consistencyProof,
  coveringCheckpoint,
  DEFAULT_LEDGER_NAME,
  SealedRangeChecker,
  StreamChainTracker,
  verifyAuditStream,
  verifyConsistency,
} from '@smilepay/audit/domain';
import { type EventStore, SqliteEventStore } from '@smilepay/shared/eventstore';
import { readAuditStream } from '../audit-stream/read-audit-stream';
import { nodeEventHasher, nodeMerkleHasher, nodeSha256, verifyEd25519 } from '../crypto/node-crypto';
import { scanAll } from '../read/scan-all';
import { LeafBuffer } from './leaf-buffer';
import { startStoredBytesCheck, type StoredBytesMode } from './stored-bytes';
import type { CheckpointRef, EventFailure, VerificationReport, VerifyProgress } from './verification-report';

export interface VerifyOptions {
  /** Raw Ed25519 public keys (base64) the auditor trusts; see parsePublicKeyText. */
  trustedPublicKeys: readonly string[];
  ledgerName?: string;
  /** Most event failures reported (default 1,000): a wrecked store must not produce an unbounded report. */
  maxFailures?: number;
  /** Check RFC 6962 consistency between consecutive checkpoints (default true). */
  consistency?: boolean;
  /** Streams whose last hash is kept for the chain checks (default 20,000,000, about 5 GB). */
  maxStreams?: number;
  /** Leaf hashes kept for consistency proofs, 32 bytes each (default 20,000,000 = 640 MB). */
  maxLeavesInMemory?: number;
  /** Also re-hash the embedded store's stored bytes (default true; ignored for other stores). */
  storedBytes?: boolean;
  /** Where that check runs: 'auto' (a worker thread for large stores, in parallel with the walk), 'worker', 'inline'. */
  storedBytesMode?: StoredBytesMode;
  pageSize?: number;
  onProgress?: (progress: VerifyProgress) => void;
}

/**
 * Verifies a store offline, trusting nothing but the given public keys: every stream's hash chain (recomputed from
 * content), every checkpoint's signature, key, link and Merkle root (recomputed from the events it seals), and RFC
 * 6962 consistency between consecutive checkpoints. Failures name the exact event (stream, revision, position) and
 * checkpoint (revision, position range).
 */
export class Verifier {
  constructor(private readonly store: EventStore) {}

  async verify(options: VerifyOptions): Promise<VerificationReport> {
    const started = Date.now();
    const ledgerName = options.ledgerName ?? DEFAULT_LEDGER_NAME;
    const maxFailures = options.maxFailures ?? 1000;
    options.onProgress?.({ phase: 'audit_stream', done: 0 });
    const audit = await readAuditStream(this.store, ledgerName, { tolerateUnreadable: true });
    const stream = verifyAuditStream(audit.entries, {
      trustedPublicKeys: options.trustedPublicKeys,
      verifySignature: verifyEd25519,
      hash: nodeSha256,
      hasher: nodeMerkleHasher,
    });
    const headPosition = await this.store.headPosition();
    const storedBytesCheck = await this.startStoredBytes(maxFailures, options);
    const walk = await this.walkEvents(stream, headPosition, options, maxFailures);
    const checkpointFailures = [...stream.failures, ...walk.rangeFailures];
    placeUnreadable(checkpointFailures, walk.eventFailures, audit.streamId);
    const consistency = this.checkConsistency(stream.checkpoints, walk, checkpointFailures, options);
    const storedBytes = await this.checkStoredBytes(storedBytesCheck, walk.eventFailures, maxFailures, options);
    const checkpoints = stream.checkpoints;
    for (const failure of walk.eventFailures) failure.checkpoint ??= refOf(failure.position === undefined ? undefined : coveringCheckpoint(walk.placed, failure.position));
    const truncated = walk.eventFailures.length >= maxFailures;
    return {
      ok: walk.eventFailures.length === 0 && checkpointFailures.length === 0,
      ledgerName,
      auditStreamId: auditCheckpointStreamId(ledgerName),
      headPosition,
      eventsChecked: walk.tracker.eventsChecked,
      streamsChecked: walk.tracker.streamsSeen,
      checkpointsChecked: checkpoints.length,
      authenticCheckpoints: checkpoints.filter((c) => c.authentic).length,
      keyRotations: stream.rotations.length,
      trustedKeyIds: stream.trustedKeyIds,
      sealedEvents: walk.summary.sealedEvents,
      unsealedEvents: walk.summary.unsealedEvents,
      lastSealedPosition: checkpoints.length === 0 ? undefined : checkpoints[checkpoints.length - 1].toPosition,
      eventFailures: walk.eventFailures.slice(0, maxFailures),
      checkpointFailures: checkpointFailures.sort((a, b) => (a.revision < b.revision ? -1 : a.revision > b.revision ? 1 : 0)),
      consistency,
      storedBytes,
      truncated,
      durationMs: Date.now() - started,
    };
  }

  private async walkEvents(stream: AuditStreamVerification, headPosition: bigint, options: VerifyOptions, maxFailures: number) {
    const tracker = new StreamChainTracker(nodeEventHasher, options.maxStreams);
    const ranges = new SealedRangeChecker(nodeMerkleHasher, stream.checkpoints);
    const leaves = new LeafBuffer(options.consistency === false ? 0 : (options.maxLeavesInMemory ?? 20_000_000));
    const eventFailures: EventFailure[] = [];
    const note = (failures: EventFailure[]) => {
      for (const failure of failures) if (eventFailures.length < maxFailures) eventFailures.push(failure);
    };
    let done = 0;
    for await (const page of scanAll(this.store, { upTo: headPosition, pageSize: options.pageSize ?? 2000, tolerateUnreadable: true })) {
      if (page.kind === 'unreadable') {
        for (const event of page.events) {
          tracker.markUnreadable(event.streamId, event.revision);
          note([{ ...event, eventId: undefined, reason: 'unreadable', message: `the store cannot return it: ${event.reason}` }]);
          ranges.addLeafHash(event.position, undefined);
          leaves.push(nodeMerkleHasher.empty());
        }
      } else {
        for (const event of page.events) {
          const { failures, recomputedHash } = tracker.check(event);
          if (failures.length > 0) note(failures);
          const leafHash = recomputedHash === undefined ? undefined : nodeMerkleHasher.leaf(Buffer.from(recomputedHash, 'hex'));
          ranges.addLeafHash(event.position, leafHash);
          leaves.push(leafHash ?? nodeMerkleHasher.empty());
        }
      }
      done += page.events.length;
      options.onProgress?.({ phase: 'events', done, position: page.events[page.events.length - 1].position, headPosition });
    }
    const summary = ranges.finish();
    return { tracker, summary, rangeFailures: summary.failures, eventFailures, leaves, placed: placedCheckpoints(stream.checkpoints) };
  }

  /**
   * RFC 6962 consistency between consecutive checkpoints: proves each signed tree only appended to the one before.
   * The proofs are built from the recomputed leaves, so they stop at the first failed checkpoint: every later proof
   * spans the same damaged leaves, and blaming those checkpoints too would hide which one covers the damage.
   */
  private checkConsistency(
    checkpoints: readonly CheckpointRecord[],
    walk: { leaves: LeafBuffer },
    failures: AuditStreamVerification['failures'],
    options: VerifyOptions,
  ): VerificationReport['consistency'] {
    if (options.consistency === false) return { pairsChecked: 0, skipped: 'disabled' };
    if (walk.leaves.full) return { pairsChecked: 0, skipped: `more than ${walk.leaves.maxLeaves} events: leaf hashes not kept` };
    const failed = new Set(failures.map((failure) => failure.revision));
    let pairsChecked = 0;
    for (let i = 1; i < checkpoints.length; i++) {
      const [older, newer] = [checkpoints[i - 1], checkpoints[i]];
      if (failed.has(older.revision) || failed.has(newer.revision) || newer.treeSize > walk.leaves.size) {
        const rest = checkpoints.length - i;
        const at = failed.has(older.revision) ? older.revision : newer.revision;
        return { pairsChecked, skipped: `${rest} pairs from checkpoint ${at} on: the history they span already fails there` };
      }
      pairsChecked += 1;
      options.onProgress?.({ phase: 'consistency', done: pairsChecked });
      if (!this.consistent(older, newer, walk.leaves)) {
        failures.push({
          revision: newer.revision,
          position: newer.position,
          eventId: newer.eventId,
          eventType: 'AuditCheckpointSealed',
          fromPosition: newer.fromPosition,
          toPosition: newer.toPosition,
          reason: 'inconsistent',
          message: `tree of ${newer.treeSize} is not an extension of checkpoint ${older.revision} (${older.treeSize} events)`,
        });
        return { pairsChecked };
      }
    }
    return { pairsChecked };
  }

  private consistent(older: CheckpointRecord, newer: CheckpointRecord, leaves: LeafBuffer): boolean {
    const proof = consistencyProof(nodeMerkleHasher, leaves, older.treeSize, newer.treeSize);
    const [oldRoot, newRoot] = [Buffer.from(older.data.merkleRoot, 'hex'), Buffer.from(newer.data.merkleRoot, 'hex')];
    return verifyConsistency(nodeMerkleHasher, older.treeSize, newer.treeSize, oldRoot, newRoot, proof);
  }

  private async startStoredBytes(maxFailures: number, options: VerifyOptions) {
    if (!(this.store instanceof SqliteEventStore) || options.storedBytes === false) return undefined;
    return startStoredBytesCheck(this.store, Math.min(maxFailures, 10_000), options.storedBytesMode ?? 'auto');
  }

  /**
   * The embedded store can also re-hash its stored bytes (catching edits that JSON parsing forgives) and compare
   * each stream's tail with its head row (catching a removed tail). Adds what the port-level walk did not already name.
   */
  private async checkStoredBytes(
    started: Awaited<ReturnType<Verifier['startStoredBytes']>>,
    failures: EventFailure[],
    maxFailures: number,
    options: VerifyOptions,
  ): Promise<VerificationReport['storedBytes']> {
    if (started === undefined) {
      return { checked: false, skipped: this.store instanceof SqliteEventStore ? 'disabled' : 'not an embedded store' };
    }
    options.onProgress?.({ phase: 'stored_bytes', done: 0 });
    const result = await started();
    const known = new Set(failures.map((failure) => `${failure.streamId}\u0000${failure.revision}`));
    for (const broken of result.broken) {
      if (known.has(`${broken.streamId}\u0000${broken.revision}`) || failures.length >= maxFailures) continue;
      const reason = broken.reason === 'stream_head_mismatch' ? 'stream_head_mismatch' : 'stored_bytes_mismatch';
      const position = await this.positionOf(broken.streamId, broken.revision);
      failures.push({ streamId: broken.streamId, revision: broken.revision, position, eventId: undefined, reason, message: broken.message });
    }
    return { checked: true, inWorker: result.inWorker };
  }

  private async positionOf(streamId: string, revision: bigint): Promise<bigint | undefined> {
    try {
      const [event] = await this.store.readStream(streamId, { fromRevision: revision, maxCount: 1 });
      return event?.revision === revision ? event.position : undefined;
    } catch {
      return undefined;
    }
  }
}

/** An unreadable audit event's position is only known from the $all walk. */
function placeUnreadable(checkpointFailures: AuditStreamVerification['failures'], eventFailures: EventFailure[], streamId: string): void {
  for (const failure of checkpointFailures) {
    if (failure.position !== -1n) continue;
    const seen = eventFailures.find((event) => event.streamId === streamId && event.revision === failure.revision);
    if (seen?.position !== undefined) failure.position = seen.position;
  }
}

/** Checkpoints in increasing toPosition order, as the range checker places them on $all. */
function placedCheckpoints(checkpoints: readonly CheckpointRecord[]): CheckpointRecord[] {
  const placed: CheckpointRecord[] = [];
  for (const checkpoint of checkpoints) {
    const previous = placed[placed.length - 1];
    if (previous === undefined || checkpoint.toPosition > previous.toPosition) placed.push(checkpoint);
  }
  return placed;
}

function refOf(checkpoint: CheckpointRecord | undefined): CheckpointRef | undefined {
  if (checkpoint === undefined) return undefined;
  return { revision: checkpoint.revision, position: checkpoint.position, fromPosition: checkpoint.fromPosition, toPosition: checkpoint.toPosition };
}
