import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { toHex } from '../crypto/bytes';
import { sha256 } from '../crypto/sha256';
import { rfc6962Hasher } from '../merkle/hasher';
import type { AuditCheckpointSealedData, AuditKeyRotatedData } from './audit-events';
import { auditCheckpointStreamId } from './audit-events';
import { type AuditStreamEntry, verifyAuditStream } from './audit-stream-verification';
import { cursorAfter, genesisCursor, type SealCursor, sealCheckpoint, type SealedLeaf } from './seal';
import { SealedRangeChecker } from './sealed-range-checker';
import { checkpointDigest, keyIdOf, rotationSigningPayload, type VerifySignature } from './signing';

const hasher = rfc6962Hasher();
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

interface TestKey {
  privateKey: KeyObject;
  publicKey: string;
  keyId: string;
}

function newKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
  const base64 = raw.toString('base64');
  return { privateKey, publicKey: base64, keyId: keyIdOf(sha256, base64) };
}

const signer = (key: TestKey) => (message: Uint8Array) => sign(null, message, key.privateKey).toString('base64');

const verifySignature: VerifySignature = (publicKey, message, signature) => {
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(publicKey, 'base64')]), format: 'der', type: 'spki' });
  return verify(null, message, key, Buffer.from(signature, 'base64'));
};

/** A fake $all: event i has position 10 + 2i (positions need not be contiguous) and a deterministic hash. */
const eventAt = (i: number): SealedLeaf => ({ position: BigInt(10 + 2 * i), hash: toHex(sha256(Uint8Array.of(i, i >> 8))) });

class AuditLog {
  readonly entries: AuditStreamEntry[] = [];
  cursor: SealCursor = genesisCursor(hasher);
  private sealed = 0;

  constructor(public key: TestKey) {}

  seal(count: number): AuditCheckpointSealedData {
    const leaves = Array.from({ length: count }, (_, i) => eventAt(this.sealed + i));
    const request = { ledgerName: 'main', keyId: this.key.keyId, sealedAt: '2025-01-31T12:00:00.000Z', leaves };
    const { data, next } = sealCheckpoint(hasher, sha256, this.cursor, request, signer(this.key));
    this.sealed += count;
    this.cursor = next;
    this.push('AuditCheckpointSealed', data);
    return data;
  }

  rotate(to: TestKey): AuditKeyRotatedData {
    const unsigned = {
      ledgerName: 'main',
      oldKeyId: this.key.keyId,
      oldPublicKey: this.key.publicKey,
      newKeyId: to.keyId,
      newPublicKey: to.publicKey,
      previousCheckpointHash: this.cursor.previousCheckpointHash,
      rotatedAt: '2025-02-01T00:00:00.000Z',
    };
    const payload = rotationSigningPayload(unsigned);
    const data = { ...unsigned, signature: signer(this.key)(payload), newKeySignature: signer(to)(payload) };
    this.key = to;
    this.push('AuditKeyRotated', data);
    return data;
  }

  get sealedCount(): number {
    return this.sealed;
  }

  private push(type: string, data: object): void {
    const revision = BigInt(this.entries.length);
    this.entries.push({ eventId: `e-${revision}`, revision, position: 1_000_000n + revision, type, data });
  }
}

const verifyStream = (log: AuditLog, trusted: TestKey[]) =>
  verifyAuditStream(log.entries, { trustedPublicKeys: trusted.map((k) => k.publicKey), verifySignature, hash: sha256, hasher });

function checkRanges(log: AuditLog, trusted: TestKey[], hashOf: (i: number) => string | undefined = (i) => eventAt(i).hash, extra = 0) {
  const stream = verifyStream(log, trusted);
  const checker = new SealedRangeChecker(hasher, stream.checkpoints);
  for (let i = 0; i < log.sealedCount + extra; i++) checker.add(eventAt(i).position, hashOf(i));
  return { stream, ranges: checker.finish(), checker };
}

describe('audit checkpoints', () => {
  it('uses one stream per ledger, in the audit_checkpoint category', () => {
    expect(auditCheckpointStreamId()).toBe('audit_checkpoint-main');
    expect(auditCheckpointStreamId('eu_1')).toBe('audit_checkpoint-eu_1');
    expect(() => auditCheckpointStreamId('EU-1')).toThrow(RangeError);
  });

  describe('when sealed by a trusted key', () => {
    const key = newKey();
    const log = new AuditLog(key);
    const first = log.seal(5);
    const second = log.seal(3);
    log.seal(8);

    it('each checkpoint is cumulative, linked to the previous one and verifies', () => {
      expect(first).toMatchObject({ fromPosition: '10', toPosition: '18', eventCount: '5', treeSize: '5', previousCheckpointHash: '' });
      expect(second).toMatchObject({ fromPosition: '20', toPosition: '24', eventCount: '3', treeSize: '8' });
      expect(second.previousCheckpointHash).toBe(checkpointDigest(sha256, first));
      const { stream, ranges } = checkRanges(log, [key], undefined, 2);
      expect(stream.failures).toEqual([]);
      expect(stream.checkpoints.map((c) => c.authentic)).toEqual([true, true, true]);
      expect(ranges).toEqual({ sealedEvents: 16, unsealedEvents: 2, failures: [] });
    });

    it('the sealer continues from the stored frontier with the same roots', () => {
      const resumed = cursorAfter(hasher, sha256, second);
      const replayed = new AuditLog(key);
      replayed.seal(5);
      replayed.seal(3);
      expect(toHex(resumed.tree.root())).toBe(toHex(replayed.cursor.tree.root()));
      expect(resumed.previousCheckpointHash).toBe(replayed.cursor.previousCheckpointHash);
    });

    it('one altered event fails exactly the checkpoint that covers it', () => {
      const { ranges, checker } = checkRanges(log, [key], (i) => (i === 6 ? toHex(sha256(Uint8Array.of(99))) : eventAt(i).hash));
      expect(ranges.failures).toHaveLength(1);
      expect(ranges.failures[0]).toMatchObject({ reason: 'root_mismatch', revision: 1n, fromPosition: 20n, toPosition: 24n });
      expect(checker.covering(eventAt(6).position)?.revision).toBe(1n);
    });

    it('a removed event fails the covering checkpoint by count, range and root', () => {
      const stream = verifyStream(log, [key]);
      const checker = new SealedRangeChecker(hasher, stream.checkpoints);
      for (let i = 0; i < 16; i++) if (i !== 4) checker.add(eventAt(i).position, eventAt(i).hash);
      const reasons = checker.finish().failures.map((f) => [f.revision, f.reason]);
      expect(reasons).toEqual([
        [0n, 'event_count_mismatch'],
        [0n, 'range_mismatch'],
        [0n, 'root_mismatch'],
      ]);
    });
  });

  describe('signatures and keys', () => {
    it('a checkpoint signed with the wrong key is rejected', () => {
      const trusted = newKey();
      const log = new AuditLog(newKey());
      log.seal(4);
      const { failures, checkpoints } = verifyStream(log, [trusted]);
      expect(failures.map((f) => f.reason)).toEqual(['untrusted_key']);
      expect(checkpoints[0].authentic).toBe(false);
    });

    it('a checkpoint naming the trusted key id but signed by another key fails its signature', () => {
      const trusted = newKey();
      const forger = newKey();
      const log = new AuditLog({ ...forger, keyId: trusted.keyId });
      log.seal(4);
      expect(verifyStream(log, [trusted]).failures.map((f) => f.reason)).toEqual(['bad_signature']);
    });

    it('any change to a signed field breaks the signature and the next link', () => {
      const key = newKey();
      const log = new AuditLog(key);
      log.seal(4);
      log.seal(4);
      const tampered = { ...(log.entries[0].data as AuditCheckpointSealedData), eventCount: '3', treeSize: '3' };
      log.entries[0] = { ...log.entries[0], data: tampered };
      const reasons = verifyStream(log, [key]).failures.map((f) => [f.revision, f.reason]);
      expect(reasons).toEqual([
        [0n, 'bad_signature'],
        [0n, 'bad_frontier'],
        [1n, 'broken_link'],
        [1n, 'bad_tree_size'],
      ]);
    });

    it('a frontier that does not fold to the signed root is rejected', () => {
      const key = newKey();
      const log = new AuditLog(key);
      log.seal(6);
      const data = log.entries[0].data as AuditCheckpointSealedData;
      log.entries[0] = { ...log.entries[0], data: { ...data, frontier: [...data.frontier].reverse() } };
      expect(verifyStream(log, [key]).failures.map((f) => f.reason)).toEqual(['bad_frontier']);
    });

    it('malformed data is reported, not thrown', () => {
      const key = newKey();
      const log = new AuditLog(key);
      log.seal(2);
      log.entries[0] = { ...log.entries[0], data: { ...(log.entries[0].data as object), merkleRoot: 'XYZ' } };
      const [failure] = verifyStream(log, [key]).failures;
      expect(failure).toMatchObject({ reason: 'malformed' });
      expect(failure.message).toContain('merkleRoot');
    });
  });

  describe('key rotation', () => {
    const oldKey = newKey();
    const newer = newKey();
    const log = new AuditLog(oldKey);
    log.seal(3);
    log.rotate(newer);
    log.seal(2);

    it('verifies with the old key (trust flows forwards) or the new key (it vouches backwards)', () => {
      expect(verifyStream(log, [oldKey]).failures).toEqual([]);
      const withNew = verifyStream(log, [newer]);
      expect(withNew.failures).toEqual([]);
      expect(withNew.trustedKeyIds.sort()).toEqual([oldKey.keyId, newer.keyId].sort());
    });

    it('a checkpoint signed with the retired key after the rotation is rejected', () => {
      const stale = new AuditLog(oldKey);
      stale.seal(3);
      stale.rotate(newer);
      stale.key = oldKey;
      stale.seal(2);
      expect(verifyStream(stale, [oldKey]).failures.map((f) => [f.revision, f.reason])).toEqual([[2n, 'wrong_key']]);
    });

    it('a rotation to an attacker key signed only by the attacker is rejected', () => {
      const attacker = newKey();
      const forged = new AuditLog(oldKey);
      forged.seal(3);
      forged.rotate(attacker);
      const rotation = forged.entries[1].data as AuditKeyRotatedData;
      forged.entries[1] = { ...forged.entries[1], data: { ...rotation, signature: signer(attacker)(rotationSigningPayload(rotation)) } };
      forged.seal(2);
      const reasons = verifyStream(forged, [oldKey]).failures.map((f) => [f.revision, f.reason]);
      expect(reasons).toEqual([
        [1n, 'bad_signature'],
        [2n, 'untrusted_key'],
      ]);
    });
  });
});
