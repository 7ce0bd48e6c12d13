import {
  type CheckpointRecord,
  checkConsistencyBundle,
  checkInclusionBundle,
  consistencyProof,
  type ConsistencyProofBundle,
  DEFAULT_LEDGER_NAME,
  inclusionProof,
  type InclusionProofBundle,
  type ProofCheck,
  type SignedCheckpointRef,
  toHex,
  verifyAuditStream,
} from '@smilepay/audit/domain';
import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';
import { readAuditStream } from '../audit-stream/read-audit-stream';
import { nodeEventHasher, nodeMerkleHasher, nodeSha256, verifyEd25519 } from '../crypto/node-crypto';
import { scanAll } from '../read/scan-all';
import { LeafBuffer } from '../verify/leaf-buffer';

export interface ProveOptions {
  ledgerName?: string;
  /** Revision of the checkpoint to prove against (default: the latest). */
  checkpointRevision?: bigint;
  /** Most leaves held to build the path (default 50,000,000 = 1.6 GB). */
  maxLeaves?: number;
  onProgress?: (eventsRead: number, position: bigint, target: bigint) => void;
}

/** The event is not sealed by the chosen checkpoint (not found up to its last position). */
export class NotSealedError extends Error {
  constructor(eventId: string, toPosition: bigint | undefined) {
    super(
      toPosition === undefined
        ? `no checkpoint yet: run \`audit seal\` before proving event ${eventId}`
        : `event ${eventId} is not among the events sealed up to position ${toPosition} (unknown id, or sealed later: run \`audit seal\`)`,
    );
    this.name = 'NotSealedError';
  }
}

/**
 * Builds an RFC 6962 inclusion proof that an event is in a signed checkpoint's tree. Leaves are the stored hashes;
 * the bundle carries the event's content, so checking it re-hashes the content too.
 */
export async function proveEvent(store: EventStore, eventId: string, options: ProveOptions = {}): Promise<InclusionProofBundle> {
  const checkpoints = await readCheckpoints(store, options.ledgerName);
  const checkpoint = chooseCheckpoint(checkpoints, options.checkpointRevision);
  if (checkpoint === undefined) throw new NotSealedError(eventId, undefined);
  const leaves = new LeafBuffer(options.maxLeaves ?? 50_000_000);
  let found: { event: RecordedEvent; index: number } | undefined;
  for await (const page of scanAll(store, { upTo: checkpoint.toPosition, pageSize: 5000 })) {
    if (page.kind !== 'events') continue;
    for (const event of page.events) {
      if (event.id === eventId) found = { event, index: leaves.size };
      leaves.push(nodeMerkleHasher.leaf(Buffer.from(event.hash, 'hex')));
    }
    options.onProgress?.(leaves.size, page.events[page.events.length - 1].position, checkpoint.toPosition);
  }
  if (leaves.full) throw new Error(`more than ${leaves.maxLeaves} sealed events: raise maxLeaves to build this proof`);
  if (found === undefined) throw new NotSealedError(eventId, checkpoint.toPosition);
  if (leaves.size !== checkpoint.treeSize) {
    throw new Error(`the store holds ${leaves.size} events up to position ${checkpoint.toPosition}, the checkpoint seals ${checkpoint.treeSize}: run \`audit verify\``);
  }
  const { event, index } = found;
  return {
    kind: 'smilepay.audit.inclusion.v1',
    event: {
      id: event.id,
      streamId: event.streamId,
      revision: event.revision.toString(),
      position: event.position.toString(),
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      prevHash: event.prevHash,
      hash: event.hash,
      recordedAt: event.recordedAt,
    },
    leafIndex: index,
    treeSize: checkpoint.treeSize,
    proof: inclusionProof(nodeMerkleHasher, leaves, index, checkpoint.treeSize).map(toHex),
    checkpoint: refOf(checkpoint),
  };
}

/** RFC 6962 consistency proof between two checkpoints of the audit stream (by revision). */
export async function proveConsistency(
  store: EventStore,
  olderRevision: bigint,
  newerRevision: bigint,
  options: Omit<ProveOptions, 'checkpointRevision'> = {},
): Promise<ConsistencyProofBundle> {
  const checkpoints = await readCheckpoints(store, options.ledgerName);
  const older = chooseCheckpoint(checkpoints, olderRevision);
  const newer = chooseCheckpoint(checkpoints, newerRevision);
  if (older === undefined || newer === undefined) throw new Error(`no checkpoint at revision ${older === undefined ? olderRevision : newerRevision}`);
  if (older.treeSize > newer.treeSize) throw new Error(`checkpoint ${olderRevision} is not older than ${newerRevision}`);
  const leaves = new LeafBuffer(options.maxLeaves ?? 50_000_000);
  for await (const page of scanAll(store, { upTo: newer.toPosition, pageSize: 5000 })) {
    if (page.kind !== 'events') continue;
    for (const event of page.events) leaves.push(nodeMerkleHasher.leaf(Buffer.from(event.hash, 'hex')));
    options.onProgress?.(leaves.size, page.events[page.events.length - 1].position, newer.toPosition);
  }
  if (leaves.full || leaves.size !== newer.treeSize) {
    throw new Error(`the store holds ${leaves.size} events up to position ${newer.toPosition}, the checkpoint seals ${newer.treeSize}: run \`audit verify\``);
  }
  const proof = consistencyProof(nodeMerkleHasher, leaves, older.treeSize, newer.treeSize).map(toHex);
  return { kind: 'smilepay.audit.consistency.v1', older: refOf(older), newer: refOf(newer), proof };
}

const proofCheckOptions = (trustedPublicKeys: readonly string[]) => ({
  trustedPublicKeys,
  verifySignature: verifyEd25519,
  hash: nodeSha256,
  hasher: nodeMerkleHasher,
  hashEvent: nodeEventHasher,
});

/** Checks a proof bundle offline (JSON as written by proveEvent or proveConsistency). */
export function checkProofBundle(bundle: InclusionProofBundle | ConsistencyProofBundle, trustedPublicKeys: readonly string[]): ProofCheck {
  if (bundle?.kind === 'smilepay.audit.inclusion.v1') return checkInclusionBundle(bundle, proofCheckOptions(trustedPublicKeys));
  if (bundle?.kind === 'smilepay.audit.consistency.v1') return checkConsistencyBundle(bundle, proofCheckOptions(trustedPublicKeys));
  return { ok: false, problems: ['not a smilepay audit proof bundle'] };
}

async function readCheckpoints(store: EventStore, ledgerName = DEFAULT_LEDGER_NAME): Promise<CheckpointRecord[]> {
  const { entries } = await readAuditStream(store, ledgerName);
  // Structure only: whether signatures hold is for the auditor to check, with their own key, on the bundle.
  return verifyAuditStream(entries, { trustedPublicKeys: [], verifySignature: () => false, hash: nodeSha256, hasher: nodeMerkleHasher }).checkpoints;
}

function chooseCheckpoint(checkpoints: CheckpointRecord[], revision: bigint | undefined): CheckpointRecord | undefined {
  if (revision === undefined) return checkpoints[checkpoints.length - 1];
  return checkpoints.find((checkpoint) => checkpoint.revision === revision);
}

function refOf(checkpoint: CheckpointRecord): SignedCheckpointRef {
  return { revision: checkpoint.revision.toString(), position: checkpoint.position.toString(), data: checkpoint.data };
}
