/**
 * Events of the audit stream `audit_checkpoint-<ledgerName>` (one per ledger; 'main' by default).
 *
 * Merkle root choice: **cumulative**. A checkpoint's `merkleRoot` is the RFC 6962 root over the hashes of ALL events
 * sealed so far, in $all position order (leaf i = the 32-byte event hash of the i-th event), and `treeSize` is their
 * count. So every signed root commits to the whole history, and an RFC 6962 consistency proof between two
 * checkpoints shows the later tree only appended to the earlier one. The checkpoint also carries the tree's
 * `frontier` (its peaks): the sealer continues from it without re-reading history, and a verifier can judge each
 * checkpoint on its own range of events. The frontier is not signed; it is accepted only if it folds to the signed root.
 *
 * Numbers that can outgrow 2^53 (positions) and counts are decimal strings; hashes are lowercase hex; keys and
 * signatures are standard base64. Public keys are raw 32-byte Ed25519 keys.
 */
export const AUDIT_CHECKPOINT_CATEGORY = 'audit_checkpoint';
export const DEFAULT_LEDGER_NAME = 'main';

/** Ledger names become stream ids: short, lowercase, no separators an operator could confuse. */
const LEDGER_NAME = /^[a-z0-9_]{1,64}$/;

export function isLedgerName(value: unknown): value is string {
  return typeof value === 'string' && LEDGER_NAME.test(value);
}

export function auditCheckpointStreamId(ledgerName: string = DEFAULT_LEDGER_NAME): string {
  if (!isLedgerName(ledgerName)) throw new RangeError(`ledger name must match ${LEDGER_NAME}, got ${JSON.stringify(ledgerName)}`);
  return `${AUDIT_CHECKPOINT_CATEGORY}-${ledgerName}`;
}

export interface AuditCheckpointSealedData {
  ledgerName: string;
  /** Position of the first event this checkpoint seals (inclusive). */
  fromPosition: string;
  /** Position of the last event this checkpoint seals (inclusive). */
  toPosition: string;
  /** Events sealed by this checkpoint: those with position in (previous toPosition, toPosition]. */
  eventCount: string;
  /** Leaves of the cumulative tree after this checkpoint: previous treeSize + eventCount. */
  treeSize: string;
  /** RFC 6962 root (hex) of the cumulative tree of `treeSize` event hashes. */
  merkleRoot: string;
  /** Peak subtree roots of that tree (hex), largest first. Not signed: must fold to merkleRoot. */
  frontier: string[];
  /** checkpointDigest of the previous checkpoint in this stream; '' for the first. */
  previousCheckpointHash: string;
  /** Id of the Ed25519 key that signed (see keyIdOf). */
  keyId: string;
  /** Ed25519 signature (base64) over checkpointSigningPayload. */
  signature: string;
  /** ISO-8601 time of sealing (the sealer's clock). */
  sealedAt: string;
}

export interface AuditCheckpointSealed {
  type: 'AuditCheckpointSealed';
  data: AuditCheckpointSealedData;
}

/**
 * The sealing key changed. Signed by the old key (the old key hands over) and by the new key (the new key holder
 * vouches for the history signed before it), so an auditor holding either public key can verify both epochs.
 */
export interface AuditKeyRotatedData {
  ledgerName: string;
  oldKeyId: string;
  /** Raw Ed25519 public key, base64. */
  oldPublicKey: string;
  newKeyId: string;
  newPublicKey: string;
  /** checkpointDigest of the last checkpoint before the rotation ('' if none): pins the rotation in history. */
  previousCheckpointHash: string;
  rotatedAt: string;
  /** By the old key, over rotationSigningPayload. */
  signature: string;
  /** By the new key, over the same payload. */
  newKeySignature: string;
}

export interface AuditKeyRotated {
  type: 'AuditKeyRotated';
  data: AuditKeyRotatedData;
}

export type AuditEvent = AuditCheckpointSealed | AuditKeyRotated;
export type AuditEventType = AuditEvent['type'];
export const AUDIT_EVENT_TYPES: readonly AuditEventType[] = ['AuditCheckpointSealed', 'AuditKeyRotated'];
