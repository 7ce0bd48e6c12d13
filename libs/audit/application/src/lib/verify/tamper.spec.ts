import { join } from 'node:path';
import Database from 'better-sqlite3';
import { accountStreamId } from '@smilepay/ledger/domain';
import { ACCOUNTS, id, LedgerScenario } from '../../testing/ledger-scenario';
import { AuditKeyStore } from '../keys/audit-key-store';
import { Sealer, TamperedBeforeSealError } from '../seal/sealer';
import { Verifier } from './verifier';

interface StoredRow {
  position: bigint;
  stream_id: string;
  revision: bigint;
  data: string;
}

/** Changes exactly one byte of one stored event, with a raw UPDATE on the store file (as an intruder would). */
function editOneByte(file: string, find: (row: StoredRow) => boolean, edit: (data: string) => string): StoredRow {
  const db = new Database(file);
  try {
    db.defaultSafeIntegers(true);
    const rows = db.prepare('SELECT position, stream_id, revision, data FROM events ORDER BY position').all() as StoredRow[];
    const row = rows.find(find);
    if (row === undefined) throw new Error('no such event');
    const edited = edit(row.data);
    const before = Buffer.from(row.data);
    const after = Buffer.from(edited);
    expect(after.length).toBe(before.length);
    expect([...before].filter((byte, i) => byte !== after[i])).toHaveLength(1);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(edited, row.position);
    return row;
  } finally {
    db.close();
  }
}

const alicePayment = (row: StoredRow) => row.stream_id === accountStreamId(ACCOUNTS.alice) && row.data.includes('"amount":"2900"');

describe('tamper evidence on the real SQLite store', () => {
  let scenario: LedgerScenario;
  let keys: AuditKeyStore;
  let publicKey: string;

  beforeEach(async () => {
    scenario = await new LedgerScenario().run();
    keys = new AuditKeyStore(join(scenario.dir, 'audit-keys'));
    const sealed = await new Sealer(scenario.store, keys, { everyEvents: 8 }).sealPending({ force: true });
    expect(sealed.length).toBeGreaterThanOrEqual(3);
    publicKey = keys.load(sealed[0].keyId).publicKey;
  });

  afterEach(() => scenario.dispose());

  it('an untouched store verifies: chains, signatures, roots and consistency', async () => {
    const report = await new Verifier(scenario.store).verify({ trustedPublicKeys: [publicKey] });
    expect(report.eventFailures).toEqual([]);
    expect(report.checkpointFailures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.authenticCheckpoints).toBe(report.checkpointsChecked);
    expect(report.consistency.pairsChecked).toBe(report.checkpointsChecked - 1);
    expect(report.storedBytes.checked).toBe(true);
    // The last checkpoint event itself is the only event not sealed yet.
    expect(report.unsealedEvents).toBe(1);
    expect(report.sealedEvents + report.unsealedEvents).toBe(report.eventsChecked);
  });

  it('one edited byte of one event: the verifier names that event and the checkpoint covering it, nothing else', async () => {
    const row = editOneByte(scenario.storeFile, alicePayment, (data) => data.replace('"amount":"2900"', '"amount":"2800"'));
    const report = await new Verifier(scenario.store).verify({ trustedPublicKeys: [publicKey] });
    expect(report.ok).toBe(false);
    expect(report.eventFailures).toHaveLength(1);
    const [failure] = report.eventFailures;
    expect(failure).toMatchObject({ streamId: row.stream_id, revision: row.revision, position: row.position, reason: 'hash_mismatch' });
    const covering = failure.checkpoint;
    expect(covering).toBeDefined();
    expect(covering?.fromPosition).toBeLessThanOrEqual(row.position);
    expect(covering?.toPosition).toBeGreaterThanOrEqual(row.position);
    expect(report.checkpointFailures).toEqual([
      expect.objectContaining({ reason: 'root_mismatch', revision: covering?.revision, position: covering?.position }),
    ]);
  });

  it('a byte that breaks the JSON: the event is reported unreadable at its position, with its checkpoint', async () => {
    const row = editOneByte(scenario.storeFile, alicePayment, (data) => data.replace('"amount":"2900"', '"amount":"2900\''));
    const report = await new Verifier(scenario.store).verify({ trustedPublicKeys: [publicKey] });
    expect(report.eventFailures).toEqual([
      expect.objectContaining({ streamId: row.stream_id, revision: row.revision, position: row.position, reason: 'unreadable' }),
    ]);
    expect(report.checkpointFailures.map((f) => [f.reason, f.revision])).toEqual([['root_mismatch', report.eventFailures[0].checkpoint?.revision]]);
    // The walk went on past the damage: every other event was still checked.
    expect(report.eventsChecked).toBe(Number(await scenario.store.headPosition()));
  });

  it('the sealer refuses to sign over an event altered before it was sealed', async () => {
    const context = { correlationId: id('c1'), actor: 'system:audit-test' };
    const transfer = { id: id('9', 1), debitAccountId: ACCOUNTS.external, creditAccountId: ACCOUNTS.bob, amount: 4200n };
    await scenario.ledger.createTransfers({ transfers: [{ ...transfer, currency: 'EUR', ledger: 1, code: 1, kind: 'single' }] }, context);
    const row = editOneByte(scenario.storeFile, (r) => r.data.includes('"amount":"4200"') && r.stream_id.startsWith('ledger_'), (data) =>
      data.replace('"amount":"4200"', '"amount":"9200"'),
    );
    const attempt = new Sealer(scenario.store, keys, { everyEvents: 8 }).sealPending({ force: true });
    await expect(attempt).rejects.toBeInstanceOf(TamperedBeforeSealError);
    await expect(attempt).rejects.toMatchObject({ streamId: row.stream_id, revision: row.revision, position: row.position });
  });

  it('edits JSON parsing forgives and a removed stream tail are caught by re-hashing the stored bytes, in a worker thread', async () => {
    const db = new Database(scenario.storeFile);
    db.defaultSafeIntegers(true);
    const row = db.prepare(`SELECT position, stream_id, revision, data FROM events WHERE stream_id = ? AND revision = 0`).get(accountStreamId(ACCOUNTS.carol)) as StoredRow;
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data.replace('{"accountId"', '{ "accountId"'), row.position);
    const tail = db.prepare(`SELECT position, stream_id, revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1`).get(accountStreamId(ACCOUNTS.bob)) as StoredRow;
    db.prepare('DELETE FROM events WHERE position = ?').run(tail.position);
    db.close();
    const report = await new Verifier(scenario.store).verify({ trustedPublicKeys: [publicKey], storedBytesMode: 'worker' });
    expect(report.storedBytes).toEqual({ checked: true, inWorker: true });
    expect(report.eventFailures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ streamId: row.stream_id, revision: 0n, position: row.position, reason: 'stored_bytes_mismatch' }),
        expect.objectContaining({ streamId: tail.stream_id, revision: tail.revision, reason: 'stream_head_mismatch' }),
      ]),
    );
    // The removed event was sealed, so the checkpoint covering it fails too (one event fewer in its range).
    expect(report.checkpointFailures.map((f) => f.reason)).toEqual(expect.arrayContaining(['event_count_mismatch']));
  }, 60_000); // the worker compiles its TypeScript entry when it starts: seconds on a busy machine

  it('a checkpoint signed with the wrong key is rejected', async () => {
    const stranger = new AuditKeyStore(join(scenario.dir, 'stranger-keys')).loadOrCreateActive().key;
    const report = await new Verifier(scenario.store).verify({ trustedPublicKeys: [stranger.publicKey] });
    expect(report.ok).toBe(false);
    expect(new Set(report.checkpointFailures.map((f) => f.reason))).toEqual(new Set(['untrusted_key']));
    expect(report.authenticCheckpoints).toBe(0);
  });
});
