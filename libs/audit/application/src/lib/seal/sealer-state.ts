import {
  type AuditCheckpointSealedData,
  cursorAfter,
  genesisCursor,
  parseCheckpointData,
  parseKeyRotationData,
  type SealCursor,
  verifyAuditStream,
} from '@smilepay/audit/domain';
import type { EventStore } from '@smilepay/shared/eventstore';
import { readAuditStream } from '../audit-stream/read-audit-stream';
import { nodeMerkleHasher, nodeSha256, verifyEd25519 } from '../crypto/node-crypto';
import type { AuditKeyStore, SealingKey } from '../keys/audit-key-store';

/** What a sealer must know before it signs anything: where the tree stands, and with which key. */
export interface SealerState {
  streamId: string;
  cursor: SealCursor;
  key: SealingKey;
  /** Expected state for the next append to the audit stream. */
  lastRevision: bigint | undefined;
  /** sealedAt of the last checkpoint, for the time trigger. */
  lastSealedAt: Date | undefined;
}

/** The audit stream does not verify with the sealer's own key: sealing on top of it would endorse it. */
export class AuditStreamUntrustedError extends Error {
  constructor(streamId: string, detail: string) {
    super(`${streamId} fails verification, refusing to seal on top of it: ${detail} (run \`audit verify\`)`);
    this.name = 'AuditStreamUntrustedError';
  }
}

/**
 * Loads the sealer's state from the audit stream. The active key is the last rotation's new key, else the key of the
 * first checkpoint, else the key directory's active key (generated on first run). The whole stream is verified with
 * that key before the sealer continues from the last checkpoint's frontier.
 */
export async function loadSealerState(store: EventStore, keys: AuditKeyStore, ledgerName: string): Promise<SealerState & { keyCreated: boolean }> {
  const { streamId, entries, lastRevision } = await readAuditStream(store, ledgerName);
  const rotations = entries.filter((entry) => entry.type === 'AuditKeyRotated').map((entry) => parseKeyRotationData(entry.data));
  const checkpoints = entries.filter((entry) => entry.type === 'AuditCheckpointSealed').map((entry) => parseCheckpointData(entry.data));
  const lastRotation = rotations[rotations.length - 1];
  const firstCheckpoint = checkpoints[0];
  let keyId: string | undefined;
  if (lastRotation !== undefined) keyId = lastRotation.ok ? lastRotation.value.newKeyId : undefined;
  else if (firstCheckpoint !== undefined) keyId = firstCheckpoint.ok ? firstCheckpoint.value.keyId : undefined;
  if ((lastRotation ?? firstCheckpoint) !== undefined && keyId === undefined) {
    throw new AuditStreamUntrustedError(streamId, 'its key events are malformed');
  }
  const { key, created } = keyId === undefined ? keys.loadOrCreateActive() : { key: keys.load(keyId), created: false };
  const verification = verifyAuditStream(entries, {
    trustedPublicKeys: [key.publicKey],
    verifySignature: verifyEd25519,
    hash: nodeSha256,
    hasher: nodeMerkleHasher,
  });
  const failure = verification.failures[0];
  if (failure !== undefined) {
    throw new AuditStreamUntrustedError(streamId, `revision ${failure.revision}: ${failure.reason}: ${failure.message}`);
  }
  const last = verification.checkpoints[verification.checkpoints.length - 1]?.data as AuditCheckpointSealedData | undefined;
  return {
    streamId,
    cursor: last === undefined ? genesisCursor(nodeMerkleHasher) : cursorAfter(nodeMerkleHasher, nodeSha256, last),
    key,
    lastRevision,
    lastSealedAt: last === undefined ? undefined : new Date(last.sealedAt),
    keyCreated: created,
  };
}
