import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { auditCheckpointStreamId } from '@smilepay/audit/domain';
import { type NewEvent, openSqliteEventStore, type SqliteEventStore } from '@smilepay/shared/eventstore';
import { AuditKeyStore } from '../keys/audit-key-store';
import { Verifier } from '../verify/verifier';
import { AuditStreamUntrustedError } from './sealer-state';
import { Sealer } from './sealer';

const metadata = { correlationId: 'c', causationId: 'c', actor: 'system:test', schemaVersion: 1 };
const event = (n: number): NewEvent => ({ type: 'Noted', data: { n }, metadata });

describe('Sealer', () => {
  let dir: string;
  let store: SqliteEventStore;
  let keys: AuditKeyStore;
  let now: Date;
  const clock = () => now;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smilepay-sealer-'));
    store = openSqliteEventStore(join(dir, 'events.sqlite'));
    keys = new AuditKeyStore(join(dir, 'keys'));
    now = new Date('2025-03-01T10:00:00.000Z');
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = async (count: number, stream = 'note-1') => {
    for (let i = 0; i < count; i++) await store.append(stream, [event(i)], { expectedState: 'any' });
  };
  const publicKeyOf = (keyId: string) => keys.load(keyId).publicKey;

  it('generates its key on first run, in a 0700 directory with a 0600 private key file', async () => {
    const { keyId } = await new Sealer(store, keys).activeKey();
    expect(keys.list()).toEqual([keyId]);
    expect(statSync(keys.dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(keys.dir, `${keyId}.private.pem`)).mode & 0o777).toBe(0o600);
    chmodSync(join(keys.dir, `${keyId}.private.pem`), 0o644);
    expect(() => keys.load(keyId)).toThrow(/chmod 600/);
  });

  it('seals every N events, and the remainder only once T seconds have passed', async () => {
    const sealer = new Sealer(store, keys, { everyEvents: 5, everySeconds: 60, clock });
    await write(12);
    const first = await sealer.sealPending();
    expect(first.map((c) => [c.fromPosition, c.toPosition, c.eventCount, c.treeSize])).toEqual([
      [1n, 5n, 5, 5],
      [6n, 10n, 5, 10],
    ]);
    // 11, 12, and the first checkpoint event (13): fewer than 5, and less than 60 s since the last seal.
    expect(await sealer.sealPending()).toEqual([]);
    now = new Date(now.getTime() + 61_000);
    const late = await sealer.sealPending();
    expect(late.map((c) => [c.fromPosition, c.toPosition, c.eventCount])).toEqual([[11n, 14n, 4]]);
  });

  it('does not seal an idle store over and over: a remainder of only its own checkpoints waits', async () => {
    const sealer = new Sealer(store, keys, { everyEvents: 100, everySeconds: 1, clock });
    await write(3);
    now = new Date(now.getTime() + 2000);
    expect(await sealer.sealPending()).toHaveLength(1);
    now = new Date(now.getTime() + 2000);
    expect(await sealer.sealPending()).toEqual([]);
  });

  it('continues after a restart from the stored frontier, and two sealers never fork the audit stream', async () => {
    await write(7);
    const one = new Sealer(store, keys, { everyEvents: 4 });
    const two = new Sealer(store, keys, { everyEvents: 4 });
    await one.sealPending({ force: true });
    await write(5);
    await Promise.all([one.sealPending({ force: true }), two.sealPending({ force: true })]);
    const keyId = (await one.activeKey()).keyId;
    const report = await new Verifier(store).verify({ trustedPublicKeys: [publicKeyOf(keyId)] });
    expect(report.checkpointFailures).toEqual([]);
    expect(report.eventFailures).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('rotates its key with an event; checkpoints before and after verify with either key', async () => {
    const sealer = new Sealer(store, keys, { everyEvents: 4 });
    await write(5);
    await sealer.sealPending({ force: true });
    const rotation = await sealer.rotateKey();
    expect(rotation.newKeyId).not.toBe(rotation.oldKeyId);
    await write(6);
    const after = await sealer.sealPending({ force: true });
    expect(after.every((c) => c.keyId === rotation.newKeyId)).toBe(true);
    const [stored] = await store.readStream(auditCheckpointStreamId(), { fromRevision: rotation.revision, maxCount: 1 });
    expect(stored.type).toBe('AuditKeyRotated');
    for (const trusted of [rotation.oldKeyId, rotation.newKeyId]) {
      const report = await new Verifier(store).verify({ trustedPublicKeys: [publicKeyOf(trusted)] });
      expect({ trusted, failures: report.checkpointFailures, ok: report.ok }).toEqual({ trusted, failures: [], ok: true });
      expect(report.keyRotations).toBe(1);
    }
    // A sealer started later picks the rotated key from the stream, not the old one.
    expect((await new Sealer(store, keys).activeKey()).keyId).toBe(rotation.newKeyId);
  });

  it('names the key directory when the key that signed the stream is missing', async () => {
    await write(3);
    await new Sealer(store, keys).sealPending({ force: true });
    const otherKeys = new AuditKeyStore(join(dir, 'other-keys'));
    otherKeys.loadOrCreateActive();
    const [keyId] = keys.list();
    await expect(new Sealer(store, otherKeys).activeKey()).rejects.toThrow(`sealing key ${keyId} is not in ${otherKeys.dir}`);
  });

  it('refuses to seal on top of a checkpoint that no longer verifies', async () => {
    await write(3);
    const [checkpoint] = await new Sealer(store, keys).sealPending({ force: true });
    const db = new Database(store.filename);
    db.prepare("UPDATE events SET data = replace(data, '\"eventCount\":\"3\"', '\"eventCount\":\"2\"') WHERE position = ?").run(
      Number(checkpoint.position),
    );
    db.close();
    await write(1);
    await expect(new Sealer(store, keys).sealPending({ force: true })).rejects.toBeInstanceOf(AuditStreamUntrustedError);
  });

  it('runs in the background and stops cleanly', async () => {
    const sealer = new Sealer(store, keys, { everyEvents: 3, pollIntervalMs: 10 });
    sealer.start();
    await write(7);
    const deadline = Date.now() + 5000;
    while ((await store.readStream(auditCheckpointStreamId())).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await sealer.stop();
    expect((await store.readStream(auditCheckpointStreamId())).length).toBeGreaterThanOrEqual(2);
  });
});
