/**
 * Files written by an earlier schema are migrated when a store opens them. The version 1 file here is built with
 * raw SQL exactly as version 1 wrote it (its DDL and rows, hashes included), so the test does not depend on old code.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson } from '../canonical-json';
import { WrongExpectedVersionError } from '../errors';
import { events, freshStream } from '../event-store.contract';
import { computeEventHashFromCanonical } from '../hash-chain';
import { SqliteEventStore } from './sqlite-event-store';

const SCHEMA_V1 = `
  CREATE TABLE events (
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id   TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    id          TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL,
    UNIQUE (stream_id, revision)
  );
  CREATE TABLE streams (
    stream_id TEXT    PRIMARY KEY,
    revision  INTEGER NOT NULL,
    hash      TEXT    NOT NULL
  ) WITHOUT ROWID;
`;

const metadataJson = canonicalJson({ actor: 'system:test', causationId: 'c', correlationId: 'c', schemaVersion: 1 });

/** Writes `counts[i]` events to stream i, interleaved across streams, the way version 1 stored them. */
function writeV1File(file: string, streams: string[], counts: number[]) {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.exec(SCHEMA_V1);
  raw.pragma('user_version = 1');
  const insert = raw.prepare(
    `INSERT INTO events (stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const head = raw.prepare('INSERT OR REPLACE INTO streams (stream_id, revision, hash) VALUES (?, ?, ?)');
  const heads = streams.map(() => ({ revision: -1n, hash: '' }));
  for (let round = 0; round < Math.max(...counts); round++) {
    streams.forEach((streamId, i) => {
      if (round >= counts[i]) return;
      const revision = heads[i].revision + 1n;
      const dataJson = canonicalJson({ n: round });
      const prevHash = heads[i].hash;
      const type = 'ContractEventHappened';
      const hash = computeEventHashFromCanonical({ streamId, revision, type, dataJson, metadataJson, prevHash });
      insert.run(streamId, revision, randomUUID(), type, dataJson, metadataJson, '2026-11-01T00:00:00.000Z', prevHash, hash);
      heads[i] = { revision, hash };
      head.run(streamId, revision, hash);
    });
  }
  raw.close();
}

function rawRows(file: string) {
  const raw = new Database(file, { readonly: true });
  try {
    return raw.prepare('SELECT position, stream_id, revision, id, data, prev_hash, hash FROM events ORDER BY position').all();
  } finally {
    raw.close();
  }
}

describe('SqliteEventStore schema migration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smilepay-migrate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let file: string;
  beforeEach(() => {
    file = join(dir, `${randomUUID()}.sqlite`);
  });

  it('migrates a version 1 file in place: same rows and positions, chains intact, appends continue', async () => {
    const [a, b] = [freshStream(), freshStream()];
    writeV1File(file, [a, b], [3, 2]);
    const before = rawRows(file);
    const store = new SqliteEventStore(file);
    try {
      expect(store.fileInfo().schemaVersion).toBe(2);
      expect(rawRows(file)).toEqual(before);
      expect(await store.verifyAll()).toMatchObject({ ok: true, streamsChecked: 2, eventsChecked: 5 });
      expect((await store.readStream(a)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
      await expect(store.append(b, events(1), { expectedState: 0n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
      const appended = await store.append(b, events(1, 2), { expectedState: 1n });
      expect(appended).toEqual({ nextExpectedRevision: 2n, position: 6n });
      await store.append(freshStream(), events(2), { expectedState: 'no_stream' });
      expect(await store.verifyAll()).toMatchObject({ ok: true, streamsChecked: 3, eventsChecked: 8 });
    } finally {
      await store.close();
    }
    // A second opening finds version 2 and changes nothing.
    const again = new SqliteEventStore(file);
    expect((await again.readStream(b)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    await again.close();
  });

  it('never reuses the position of a deleted last row', async () => {
    const stream = freshStream();
    writeV1File(file, [stream], [3]);
    const raw = new Database(file);
    raw.prepare('DELETE FROM events WHERE position = 3').run();
    raw.close();
    const store = new SqliteEventStore(file);
    try {
      const appended = await store.append(freshStream(), events(1), { expectedState: 'no_stream' });
      expect(appended.position).toBe(4n);
    } finally {
      await store.close();
    }
  });

  it('keeps a stream whose head row was removed: reported by verifyAll, refused for appends', async () => {
    const [intact, headless] = [freshStream('intact'), freshStream('headless')];
    writeV1File(file, [intact, headless], [2, 1]);
    const raw = new Database(file);
    raw.prepare('DELETE FROM streams WHERE stream_id = ?').run(headless);
    raw.close();
    const store = new SqliteEventStore(file);
    try {
      const report = await store.verifyAll();
      expect(report).toMatchObject({ ok: false, streamsChecked: 2, eventsChecked: 3 });
      expect(report.broken).toMatchObject([{ streamId: headless, revision: 1n, reason: 'stream_head_mismatch' }]);
      expect(await store.readStream(headless)).toHaveLength(1);
      // Revision 0 is taken by the stored event: the chain cannot be continued without a head to vouch for it.
      await expect(store.append(headless, events(1), { expectedState: 'any' })).rejects.toMatchObject({
        code: 'SQLITE_CONSTRAINT_UNIQUE',
      });
      await expect(store.append(headless, events(1), { expectedState: 'no_stream' })).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
    } finally {
      await store.close();
    }
  });
});
