import { fromHex, toHex } from '../crypto/bytes';
import type { Sha256 } from '../crypto/sha256';
import type { MerkleHasher } from '../merkle/hasher';
import { MerkleFrontier, peakCount } from '../merkle/tree';
import type { AuditCheckpointSealedData, AuditKeyRotatedData } from './audit-events';
import { parseCheckpointData, parseKeyRotationData } from './parse';
import {
  checkpointDigest,
  checkpointSigningPayload,
  keyIdOf,
  rotationSigningPayload,
  type VerifySignature,
} from './signing';

/** An event of the audit stream, as read from the store. */
export interface AuditStreamEntry {
  eventId: string;
  revision: bigint;
  position: bigint;
  type: string;
  data: unknown;
  /** Set when the store could not return this event (its stored text no longer parses): why. */
  unreadable?: string;
}

export type CheckpointFailureReason =
  | 'malformed'
  | 'unexpected_event'
  /** Signed by a key other than the one active at that point of the stream. */
  | 'wrong_key'
  /** The signing key is not one of the auditor's keys and no valid rotation leads to it. */
  | 'untrusted_key'
  | 'bad_signature'
  /** previousCheckpointHash is not the digest of the previous checkpoint. */
  | 'broken_link'
  /** Positions go backwards or overlap the previous checkpoint. */
  | 'bad_range'
  /** treeSize is not the previous treeSize plus eventCount. */
  | 'bad_tree_size'
  /** The stored frontier does not fold to the signed root. */
  | 'bad_frontier'
  /** Recomputed from the events: the signed root, count or range does not match what the store holds. */
  | 'root_mismatch'
  | 'event_count_mismatch'
  | 'range_mismatch'
  /** Two checkpoints' roots are not consistent (RFC 6962 consistency proof fails). */
  | 'inconsistent';

export interface CheckpointFailure {
  /** Revision and position of the audit event (checkpoint or rotation) that fails. */
  revision: bigint;
  position: bigint;
  eventId: string;
  eventType: string;
  /** The range the checkpoint claims to seal, when it could be read. */
  fromPosition?: bigint;
  toPosition?: bigint;
  reason: CheckpointFailureReason;
  message: string;
}

/** A checkpoint as stored, with its numbers parsed and whether its own signature and links check out. */
export interface CheckpointRecord {
  revision: bigint;
  position: bigint;
  eventId: string;
  data: AuditCheckpointSealedData;
  fromPosition: bigint;
  toPosition: bigint;
  eventCount: number;
  treeSize: number;
  /** Signed by the active, trusted key; linked, sized and with a frontier that folds to its root. */
  authentic: boolean;
}

export interface KeyRotationRecord {
  revision: bigint;
  position: bigint;
  data: AuditKeyRotatedData;
  authentic: boolean;
}

export interface AuditStreamVerification {
  checkpoints: CheckpointRecord[];
  rotations: KeyRotationRecord[];
  failures: CheckpointFailure[];
  /** Key ids the auditor's keys vouch for, directly or through validly signed rotations. */
  trustedKeyIds: string[];
}

export interface AuditStreamVerificationOptions {
  /** Raw Ed25519 public keys (base64) the auditor trusts, e.g. the one handed over at setup. */
  trustedPublicKeys: readonly string[];
  verifySignature: VerifySignature;
  hash: Sha256;
  hasher: MerkleHasher;
}

/**
 * Verifies the audit stream on its own: every checkpoint's signature, key, link and arithmetic, and every key
 * rotation. Whether the checkpoints match the events they seal is SealedRangeChecker's job.
 */
export function verifyAuditStream(
  entries: readonly AuditStreamEntry[],
  options: AuditStreamVerificationOptions,
): AuditStreamVerification {
  const result: AuditStreamVerification = { checkpoints: [], rotations: [], failures: [], trustedKeyIds: [] };
  const { rotations, publicKeys } = collectRotations(entries, options, result.failures);
  const trusted = resolveTrust(options, rotations, publicKeys);
  result.trustedKeyIds = [...trusted].sort();
  const walk = new AuditStreamWalk(options, trusted, publicKeys, rotations, result);
  for (const entry of entries) walk.visit(entry);
  return result;
}

interface ParsedRotation {
  entry: AuditStreamEntry;
  data: AuditKeyRotatedData;
  oldSignatureValid: boolean;
  newSignatureValid: boolean;
}

function collectRotations(
  entries: readonly AuditStreamEntry[],
  options: AuditStreamVerificationOptions,
  failures: CheckpointFailure[],
): { rotations: Map<AuditStreamEntry, ParsedRotation>; publicKeys: Map<string, string> } {
  const publicKeys = new Map<string, string>();
  for (const key of options.trustedPublicKeys) publicKeys.set(keyIdOf(options.hash, key), key);
  const rotations = new Map<AuditStreamEntry, ParsedRotation>();
  for (const entry of entries) {
    if (entry.type !== 'AuditKeyRotated') continue;
    const parsed = parseKeyRotationData(entry.data);
    if (!parsed.ok) {
      failures.push(failureAt(entry, 'malformed', parsed.error));
      continue;
    }
    const data = parsed.value;
    if (keyIdOf(options.hash, data.oldPublicKey) !== data.oldKeyId || keyIdOf(options.hash, data.newPublicKey) !== data.newKeyId) {
      failures.push(failureAt(entry, 'malformed', 'a key id does not match its public key'));
      continue;
    }
    const payload = rotationSigningPayload(data);
    rotations.set(entry, {
      entry,
      data,
      oldSignatureValid: options.verifySignature(data.oldPublicKey, payload, data.signature),
      newSignatureValid: options.verifySignature(data.newPublicKey, payload, data.newKeySignature),
    });
    publicKeys.set(data.oldKeyId, data.oldPublicKey);
    publicKeys.set(data.newKeyId, data.newPublicKey);
  }
  return { rotations, publicKeys };
}

/**
 * Trust flows forwards through a rotation signed by the old key, and backwards through one signed by the new key.
 * Iterates to a fixed point; each pass adds a key or stops, so at most rotations + 1 passes.
 */
function resolveTrust(
  options: AuditStreamVerificationOptions,
  rotations: Map<AuditStreamEntry, ParsedRotation>,
  publicKeys: Map<string, string>,
): Set<string> {
  const trusted = new Set(options.trustedPublicKeys.map((key) => keyIdOf(options.hash, key)));
  for (let pass = 0; pass <= rotations.size; pass++) {
    const before = trusted.size;
    for (const rotation of rotations.values()) {
      const { oldKeyId, newKeyId } = rotation.data;
      if (rotation.oldSignatureValid && rotation.newSignatureValid) {
        if (trusted.has(oldKeyId)) trusted.add(newKeyId);
        if (trusted.has(newKeyId)) trusted.add(oldKeyId);
      }
    }
    if (trusted.size === before) break;
  }
  // A key only counts as trusted if its public key is known: ids alone verify nothing.
  for (const keyId of [...trusted]) if (!publicKeys.has(keyId)) trusted.delete(keyId);
  return trusted;
}

class AuditStreamWalk {
  /** Key expected to sign next: the first rotation's old key, else whichever key signs the first checkpoint. */
  private activeKeyId: string | undefined;
  private previous: CheckpointRecord | undefined;

  constructor(
    private readonly options: AuditStreamVerificationOptions,
    private readonly trusted: Set<string>,
    private readonly publicKeys: Map<string, string>,
    private readonly rotations: Map<AuditStreamEntry, ParsedRotation>,
    private readonly result: AuditStreamVerification,
  ) {}

  visit(entry: AuditStreamEntry): void {
    if (entry.unreadable !== undefined) this.result.failures.push(failureAt(entry, 'malformed', `cannot be read: ${entry.unreadable}`));
    else if (entry.type === 'AuditCheckpointSealed') this.visitCheckpoint(entry);
    else if (entry.type === 'AuditKeyRotated') this.visitRotation(entry);
    else this.result.failures.push(failureAt(entry, 'unexpected_event', `event type ${entry.type} does not belong in an audit stream`));
  }

  private visitRotation(entry: AuditStreamEntry): void {
    const rotation = this.rotations.get(entry);
    if (rotation === undefined) return; // malformed: already reported
    const failures: CheckpointFailure[] = [];
    const { data } = rotation;
    this.activeKeyId ??= data.oldKeyId;
    if (data.oldKeyId !== this.activeKeyId) {
      failures.push(failureAt(entry, 'wrong_key', `rotates away from key ${data.oldKeyId}, but key ${this.activeKeyId} is active`));
    }
    if (!rotation.oldSignatureValid) failures.push(failureAt(entry, 'bad_signature', `old key ${data.oldKeyId} signature does not verify`));
    if (!rotation.newSignatureValid) failures.push(failureAt(entry, 'bad_signature', `new key ${data.newKeyId} signature does not verify`));
    if (!this.trusted.has(data.oldKeyId)) failures.push(failureAt(entry, 'untrusted_key', `key ${data.oldKeyId} is not trusted`));
    const expectedLink = this.previous === undefined ? '' : checkpointDigest(this.options.hash, this.previous.data);
    if (data.previousCheckpointHash !== expectedLink) {
      failures.push(failureAt(entry, 'broken_link', 'previousCheckpointHash is not the digest of the checkpoint before it'));
    }
    // Follow the rotation even when it fails: later checkpoints are then judged against the key they name, and a
    // forged rotation gains nothing because trust only comes from valid signatures (resolveTrust).
    this.activeKeyId = data.newKeyId;
    this.result.failures.push(...failures);
    this.result.rotations.push({ revision: entry.revision, position: entry.position, data, authentic: failures.length === 0 });
  }

  private visitCheckpoint(entry: AuditStreamEntry): void {
    const parsed = parseCheckpointData(entry.data);
    if (!parsed.ok) {
      this.result.failures.push(failureAt(entry, 'malformed', parsed.error));
      return;
    }
    const data = parsed.value;
    const record: CheckpointRecord = {
      revision: entry.revision,
      position: entry.position,
      eventId: entry.eventId,
      data,
      fromPosition: BigInt(data.fromPosition),
      toPosition: BigInt(data.toPosition),
      eventCount: Number(data.eventCount),
      treeSize: Number(data.treeSize),
      authentic: false,
    };
    const failures = [...this.signatureFailures(entry, data), ...this.sequenceFailures(entry, record)];
    const at = { fromPosition: record.fromPosition, toPosition: record.toPosition };
    this.result.failures.push(...failures.map((failure) => ({ ...failure, ...at })));
    record.authentic = failures.length === 0;
    this.result.checkpoints.push(record);
    this.previous = record;
  }

  private signatureFailures(entry: AuditStreamEntry, data: AuditCheckpointSealedData): CheckpointFailure[] {
    this.activeKeyId ??= data.keyId;
    if (data.keyId !== this.activeKeyId) {
      return [failureAt(entry, 'wrong_key', `signed by key ${data.keyId}, but key ${this.activeKeyId} is active`)];
    }
    const publicKey = this.publicKeys.get(data.keyId);
    if (publicKey === undefined || !this.trusted.has(data.keyId)) {
      return [failureAt(entry, 'untrusted_key', `key ${data.keyId} is not one of the trusted keys`)];
    }
    if (!this.options.verifySignature(publicKey, checkpointSigningPayload(data), data.signature)) {
      return [failureAt(entry, 'bad_signature', `signature does not verify with key ${data.keyId}`)];
    }
    return [];
  }

  private sequenceFailures(entry: AuditStreamEntry, record: CheckpointRecord): CheckpointFailure[] {
    const failures: CheckpointFailure[] = [];
    const previous = this.previous;
    const expectedLink = previous === undefined ? '' : checkpointDigest(this.options.hash, previous.data);
    if (record.data.previousCheckpointHash !== expectedLink) {
      failures.push(failureAt(entry, 'broken_link', 'previousCheckpointHash is not the digest of the previous checkpoint'));
    }
    const previousTo = previous?.toPosition ?? -1n;
    if (record.fromPosition <= previousTo || record.toPosition < record.fromPosition || record.eventCount < 1) {
      failures.push(failureAt(entry, 'bad_range', `range ${record.fromPosition}..${record.toPosition} of ${record.eventCount} events after position ${previousTo}`));
    }
    if (record.treeSize !== (previous?.treeSize ?? 0) + record.eventCount) {
      failures.push(failureAt(entry, 'bad_tree_size', `treeSize ${record.treeSize} after ${previous?.treeSize ?? 0} plus ${record.eventCount} events`));
    }
    if (!frontierFolds(this.options.hasher, record)) {
      failures.push(failureAt(entry, 'bad_frontier', 'the stored frontier does not fold to the signed merkle root'));
    }
    return failures;
  }
}

function frontierFolds(hasher: MerkleHasher, record: CheckpointRecord): boolean {
  if (record.data.frontier.length !== peakCount(record.treeSize)) return false;
  const tree = MerkleFrontier.fromPeaks(hasher, record.treeSize, record.data.frontier.map(fromHex));
  return toHex(tree.root()) === record.data.merkleRoot;
}

function failureAt(entry: AuditStreamEntry, reason: CheckpointFailureReason, message: string): CheckpointFailure {
  return { revision: entry.revision, position: entry.position, eventId: entry.eventId, eventType: entry.type, reason, message };
}
