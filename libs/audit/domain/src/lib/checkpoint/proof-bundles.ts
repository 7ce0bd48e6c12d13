import { fromHex } from '../crypto/bytes';
import type { Sha256 } from '../crypto/sha256';
import type { EventHasher } from '../events/event-hash';
import type { MerkleHasher } from '../merkle/hasher';
import { verifyConsistency, verifyInclusion } from '../merkle/proofs';
import type { AuditCheckpointSealedData } from './audit-events';
import { parseCheckpointData } from './parse';
import { checkpointSigningPayload, keyIdOf, type VerifySignature } from './signing';

/**
 * Self-contained proofs an auditor can check with nothing but a public key: the event or checkpoints as stored,
 * the RFC 6962 path, and the signed checkpoint(s). Positions and revisions are decimal strings (JSON-safe).
 */
export interface SignedCheckpointRef {
  /** Revision and position of the checkpoint event in its audit stream. */
  revision: string;
  position: string;
  data: AuditCheckpointSealedData;
}

export interface InclusionProofBundle {
  kind: 'smilepay.audit.inclusion.v1';
  event: {
    id: string;
    streamId: string;
    revision: string;
    position: string;
    type: string;
    data: unknown;
    metadata: unknown;
    prevHash: string;
    hash: string;
    recordedAt: string;
  };
  /** Index of the event's leaf: its rank among all sealed events, in position order. */
  leafIndex: number;
  treeSize: number;
  /** Audit path (hex), leaf to root. */
  proof: string[];
  checkpoint: SignedCheckpointRef;
}

export interface ConsistencyProofBundle {
  kind: 'smilepay.audit.consistency.v1';
  older: SignedCheckpointRef;
  newer: SignedCheckpointRef;
  proof: string[];
}

export interface ProofCheckOptions {
  trustedPublicKeys: readonly string[];
  verifySignature: VerifySignature;
  hash: Sha256;
  hasher: MerkleHasher;
  hashEvent: EventHasher;
}

export interface ProofCheck {
  ok: boolean;
  /** Each failed check, in words. */
  problems: string[];
}

export function checkInclusionBundle(bundle: InclusionProofBundle, options: ProofCheckOptions): ProofCheck {
  const problems = checkpointProblems(bundle.checkpoint, options);
  const { event } = bundle;
  const recomputed = safely(() => options.hashEvent({ ...event, revision: BigInt(event.revision) }));
  if (recomputed !== event.hash) problems.push(`the event's content does not hash to ${event.hash}: it was altered`);
  const tree = bundle.checkpoint.data;
  if (String(bundle.treeSize) !== tree.treeSize) problems.push(`proof is for a tree of ${bundle.treeSize}, the checkpoint seals ${tree.treeSize}`);
  const leaf = safely(() => options.hasher.leaf(fromHex(event.hash)));
  const path = safely(() => bundle.proof.map(fromHex));
  const valid =
    leaf !== undefined &&
    path !== undefined &&
    verifyInclusion(options.hasher, leaf, bundle.leafIndex, bundle.treeSize, path, fromHex(tree.merkleRoot));
  if (!valid) problems.push(`the audit path does not lead from leaf ${bundle.leafIndex} to the signed root ${tree.merkleRoot}`);
  return { ok: problems.length === 0, problems };
}

export function checkConsistencyBundle(bundle: ConsistencyProofBundle, options: ProofCheckOptions): ProofCheck {
  const problems = [...checkpointProblems(bundle.older, options), ...checkpointProblems(bundle.newer, options)];
  const [older, newer] = [bundle.older.data, bundle.newer.data];
  const path = safely(() => bundle.proof.map(fromHex));
  const valid =
    path !== undefined &&
    verifyConsistency(options.hasher, Number(older.treeSize), Number(newer.treeSize), fromHex(older.merkleRoot), fromHex(newer.merkleRoot), path);
  if (!valid) problems.push(`the tree of ${newer.treeSize} events is not proven to extend the tree of ${older.treeSize}`);
  return { ok: problems.length === 0, problems };
}

/** The checkpoint must be well formed and signed by one of the trusted keys. */
function checkpointProblems(checkpoint: SignedCheckpointRef, options: ProofCheckOptions): string[] {
  const parsed = parseCheckpointData(checkpoint.data);
  if (!parsed.ok) return [`checkpoint ${checkpoint.revision} is malformed: ${parsed.error}`];
  const data = parsed.value;
  const key = options.trustedPublicKeys.find((publicKey) => keyIdOf(options.hash, publicKey) === data.keyId);
  if (key === undefined) return [`checkpoint ${checkpoint.revision} is signed by key ${data.keyId}, which is not trusted`];
  if (!options.verifySignature(key, checkpointSigningPayload(data), data.signature)) {
    return [`checkpoint ${checkpoint.revision}: the signature does not verify with key ${data.keyId}`];
  }
  return [];
}

function safely<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch {
    return undefined;
  }
}
