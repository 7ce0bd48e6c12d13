/**
 * Tamper evidence of the embedded store: events are written through the store, then bytes are changed directly in
 * the file with raw SQL, as someone with write access to data/events.sqlite could, and the verifiers must point at
 * exactly the altered stream and revision.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { TamperedEventError } from '../errors';
import type { EventMetadata, NewEvent } from '../event-store.port';
import { computeEventHashFromCanonical, verifyStreamChain } from '../hash-chain';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'smilepay-tamper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const metadata: EventMetadata = {
  correlationId: 'corr',
  causationId: 'cause',
  actor: 'terminal:t-1',
  schemaVersion: 1,
};
const transfer = (i: number): NewEvent => ({
  type: 'LedgerTransfersRecorded',
  data: { transferId: `t-${i}`, amount: `${i + 1}0.00`, currency: 'EUR' },
  metadata,
});

const wallets = ['ledger_account-alice', 'ledger_account-bob', 'ledger_account-carol'];

describe('tampering with the SQLite file', () => {
  let file: string;

  /** Writes 4 transfers to each of three wallet streams, then closes the store so the file can be edited. */
  beforeEach(async () => {
    file = join(dir, `${randomUUID()}.sqlite`);
    const store = new SqliteEventStore(file);
    for (const wallet of wallets)
      await store.append(wallet, [0, 1, 2, 3].map(transfer), { expectedState: 'no_stream' });
    await store.close();
  });

  /** Runs raw SQL on the file, outside the store, like an attacker or a careless admin. */
  function editFile(sql: string, ...params: unknown[]): number {
    const raw = new Database(file);
    try {
      return raw.prepare(sql).run(...params).changes;
    } finally {
      raw.close();
    }
  }

  async function withStore<T>(use: (store: SqliteEventStore) => Promise<T>): Promise<T> {
    const store = new SqliteEventStore(file);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  }

  it('an untouched file verifies clean', async () => {
    const result = await withStore((store) => store.verifyAll());
    expect(result).toEqual({ ok: true, streamsChecked: 3, eventsChecked: 12, broken: [], truncated: false });
  });

  it('an edited amount is reported at exactly that stream and revision, by verifyAll and verifyStreamChain', async () => {
    const changed = editFile(
      `UPDATE events SET data = replace(data, '"amount":"30.00"', '"amount":"3000.00"') WHERE stream_id = ? AND revision = 2`,
      'ledger_account-bob',
    );
    expect(changed).toBe(1);
    await withStore(async (store) => {
      const result = await store.verifyAll();
      expect(result.ok).toBe(false);
      expect(result.broken).toEqual([
        {
          streamId: 'ledger_account-bob',
          revision: 2n,
          reason: 'hash_mismatch',
          message: expect.stringMatching(/^stored hash [0-9a-f]{64}, content hashes to/),
        },
      ]);
      expect(result).toMatchObject({ streamsChecked: 3, eventsChecked: 10 });

      const bob = await store.readStream('ledger_account-bob');
      expect(bob[2].data).toMatchObject({ amount: '3000.00' });
      expect(verifyStreamChain(bob)).toMatchObject({
        ok: false,
        broken: { streamId: 'ledger_account-bob', revision: 2n, reason: 'hash_mismatch' },
      });
      expect(verifyStreamChain(await store.readStream('ledger_account-alice')).ok).toBe(true);
    });
  });

  it('an edit JSON.parse would forgive (whitespace) is still caught, because verifyAll hashes the stored bytes', async () => {
    editFile(
      `UPDATE events SET data = replace(data, ',', ', ') WHERE stream_id = ? AND revision = 1`,
      'ledger_account-carol',
    );
    await withStore(async (store) => {
      expect((await store.verifyAll()).broken).toMatchObject([
        { streamId: 'ledger_account-carol', revision: 1n, reason: 'hash_mismatch' },
      ]);
    });
  });

  it('edited metadata and an edited type are caught too', async () => {
    editFile(
      `UPDATE events SET metadata = replace(metadata, 'terminal:t-1', 'terminal:t-9') WHERE stream_id = ? AND revision = 0`,
      'ledger_account-alice',
    );
    editFile(
      `UPDATE events SET type = 'LedgerPendingVoided' WHERE stream_id = ? AND revision = 3`,
      'ledger_account-carol',
    );
    await withStore(async (store) => {
      expect((await store.verifyAll()).broken).toMatchObject([
        { streamId: 'ledger_account-alice', revision: 0n, reason: 'hash_mismatch' },
        { streamId: 'ledger_account-carol', revision: 3n, reason: 'hash_mismatch' },
      ]);
    });
  });

  it('an edit that also recomputes the event hash breaks the next event’s prevHash link', async () => {
    const raw = new Database(file);
    raw.defaultSafeIntegers(true);
    const row = raw
      .prepare(`SELECT * FROM events WHERE stream_id = ? AND revision = 1`)
      .get('ledger_account-alice') as {
      position: bigint;
      type: string;
      data: string;
      metadata: string;
      prev_hash: string;
    };
    const data = row.data.replace('"20.00"', '"2000.00"');
    const forged = computeEventHashFromCanonical({
      streamId: 'ledger_account-alice',
      revision: 1n,
      type: row.type,
      dataJson: data,
      metadataJson: row.metadata,
      prevHash: row.prev_hash,
    });
    raw.prepare('UPDATE events SET data = ?, hash = ? WHERE position = ?').run(data, forged, row.position);
    raw.close();
    await withStore(async (store) => {
      expect((await store.verifyAll()).broken).toMatchObject([
        { streamId: 'ledger_account-alice', revision: 2n, reason: 'prev_hash_mismatch' },
      ]);
    });
  });

  it('a deleted middle event is a revision gap; a deleted last event disagrees with the stream head', async () => {
    editFile(`DELETE FROM events WHERE stream_id = ? AND revision = 1`, 'ledger_account-alice');
    editFile(`DELETE FROM events WHERE stream_id = ? AND revision = 3`, 'ledger_account-bob');
    editFile(`DELETE FROM events WHERE stream_id = ?`, 'ledger_account-carol');
    await withStore(async (store) => {
      expect((await store.verifyAll()).broken).toMatchObject([
        { streamId: 'ledger_account-alice', revision: 2n, reason: 'revision_gap' },
        { streamId: 'ledger_account-bob', revision: 3n, reason: 'stream_head_mismatch' },
        { streamId: 'ledger_account-carol', revision: 0n, reason: 'stream_head_mismatch' },
      ]);
    });
  });

  it('an event moved to another stream id, and events left without their head row, are reported', async () => {
    editFile(`UPDATE events SET stream_id = 'ledger_account-mallory' WHERE stream_id = ? AND revision = 2`, 'ledger_account-alice');
    editFile(`DELETE FROM streams WHERE stream_id = ?`, 'ledger_account-carol');
    await withStore(async (store) => {
      expect((await store.verifyAll()).broken).toMatchObject([
        { streamId: 'ledger_account-mallory', revision: 2n, reason: 'stream_mismatch' },
        { streamId: 'ledger_account-carol', revision: 0n, reason: 'stream_head_mismatch' },
      ]);
    });
  });

  it('data that is no longer JSON fails reads with TamperedEventError and shows in verifyAll', async () => {
    editFile(`UPDATE events SET data = substr(data, 2) WHERE stream_id = ? AND revision = 0`, 'ledger_account-bob');
    await withStore(async (store) => {
      await expect(store.readStream('ledger_account-bob')).rejects.toThrow(TamperedEventError);
      await expect(store.readStream('ledger_account-bob')).rejects.toThrow(
        'stream ledger_account-bob revision 0: stored data is not valid JSON',
      );
      expect((await store.verifyAll()).broken).toMatchObject([
        { streamId: 'ledger_account-bob', revision: 0n, reason: 'hash_mismatch' },
      ]);
    });
  });

  it('stops at maxBroken and says the report is truncated', async () => {
    editFile(`UPDATE events SET data = replace(data, '.00', '.01') WHERE revision = 0`);
    await withStore(async (store) => {
      const result = await store.verifyAll({ maxBroken: 2 });
      expect(result.broken.map((broken) => broken.streamId)).toEqual(['ledger_account-alice', 'ledger_account-bob']);
      expect(result.truncated).toBe(true);
    });
  });
});
