import Database from 'better-sqlite3';
import { TamperedEventError } from '../errors';
import type { RecordedEvent } from '../event-store.port';

/** Bumped when the file layout changes; a file from a newer version is refused rather than misread. */
export const SQLITE_SCHEMA_VERSION = 2;

/**
 * Schema 2. `position` is the rowid (INTEGER PRIMARY KEY) so $all reads are a range scan of the table itself.
 * AUTOINCREMENT forbids reusing the position of a deleted row, so a checkpoint can never point at a different event
 * later. The streams table holds each stream's head (last revision and hash): an append reads one row instead of
 * scanning, and the verifier can tell when a stream's tail was removed.
 *
 * Each stream has an integer key (the streams rowid), and the events index is (stream_key, revision) rather than
 * (stream_id, revision): 16 bytes instead of about 60 per entry, and a new stream's key is the largest so far, so
 * the claim streams the ledger opens for every transfer append at the right edge of that index instead of at
 * random pages. An append touches fewer and smaller B-tree pages; that is most of what a commit writes. The stream
 * id stays in each events row, so $all reads need no join and raw SQL on the file reads as before.
 */
const SCHEMA_V2 = `
  CREATE TABLE streams (
    stream_key INTEGER PRIMARY KEY,
    stream_id  TEXT    NOT NULL UNIQUE,
    revision   INTEGER NOT NULL,
    hash       TEXT    NOT NULL
  );
  CREATE TABLE events (
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_key  INTEGER NOT NULL,
    stream_id   TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    id          TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL,
    UNIQUE (stream_key, revision)
  );
`;

export interface SqliteOpenOptions {
  /** How long a writer waits for another process's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/** Opens (creating if needed) an event store file with WAL, synchronous=NORMAL and 64-bit safe integers. */
export function openEventDatabase(filename: string, options: SqliteOpenOptions = {}): Database.Database {
  const db = new Database(filename);
  try {
    configure(db, filename, options.busyTimeoutMs ?? 5_000);
    migrate(db, filename);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function configure(db: Database.Database, filename: string, busyTimeoutMs: number): void {
  // Every INTEGER comes back as bigint: positions and revisions are bigint in the port and must not lose precision.
  db.defaultSafeIntegers(true);
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  const mode = String(db.pragma('journal_mode = WAL', { simple: true }));
  // An in-memory database reports 'memory'; a file that cannot do WAL (some network file systems) is refused,
  // because readers would then block the writer and the durability trade-off below would be different.
  if (mode !== 'wal' && filename !== ':memory:' && filename !== '') {
    throw new Error(`event store ${filename}: could not enable WAL journaling (journal_mode is ${mode})`);
  }
  // With WAL, NORMAL syncs at checkpoints rather than on every commit: a power loss can drop the last commits but
  // never corrupts the file. That is the usual WAL trade-off and what makes tens of thousands of appends/s possible.
  db.pragma('synchronous = NORMAL');
  // Event ids are random uuids, so the id index is written at random pages; a 32 MiB page cache (default 2 MiB)
  // keeps those pages in memory for longer on large files.
  db.pragma('cache_size = -32768');
}

function migrate(db: Database.Database, filename: string): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version === SQLITE_SCHEMA_VERSION) return;
  if (version > SQLITE_SCHEMA_VERSION) {
    throw new Error(
      `event store ${filename}: schema version ${version} is newer than this code (${SQLITE_SCHEMA_VERSION})`,
    );
  }
  db.transaction(() => {
    // Re-read under the write lock: another process may have created or migrated the schema since the first read.
    const current = Number(db.pragma('user_version', { simple: true }));
    if (current === SQLITE_SCHEMA_VERSION) return;
    if (current === 0) db.exec(SCHEMA_V2);
    else if (current === 1) migrateV1ToV2(db);
    else throw new Error(`event store ${filename}: unknown schema version ${current}`);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * Schema 1 → 2, in the caller's transaction, so a crash leaves the file at version 1, untouched. Every row is copied
 * with its bytes and position unchanged (hashes and checkpoints stay valid), and the AUTOINCREMENT high-water mark is
 * carried over, so a position freed by a deleted row is still never reused. Stream keys follow stream id order.
 * A stream with events but no head row (a tampered v1 file) gets a head at revision -1: verifyAll reports it as
 * before, and an append to it fails instead of continuing a chain nobody can vouch for.
 */
function migrateV1ToV2(db: Database.Database): void {
  const sequence = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'events'`).get() as
    | { seq: bigint }
    | undefined;
  db.exec(`
    ALTER TABLE streams RENAME TO streams_v1;
    ALTER TABLE events RENAME TO events_v1;
    ${SCHEMA_V2}
    INSERT INTO streams (stream_id, revision, hash)
      SELECT stream_id, revision, hash FROM streams_v1
      UNION ALL
      SELECT DISTINCT stream_id, -1, '' FROM events_v1 e
        WHERE NOT EXISTS (SELECT 1 FROM streams_v1 s WHERE s.stream_id = e.stream_id)
      ORDER BY 1;
    INSERT INTO events (position, stream_key, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash)
      SELECT e.position, s.stream_key, e.stream_id, e.revision, e.id, e.type, e.data, e.metadata, e.recorded_at,
             e.prev_hash, e.hash
      FROM events_v1 e JOIN streams s ON s.stream_id = e.stream_id ORDER BY e.position;
    DROP TABLE events_v1;
    DROP TABLE streams_v1;
  `);
  if (sequence !== undefined) {
    // The copy set the new table's mark to its largest position; the old mark may be higher (deleted last rows).
    db.prepare(`UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'events'`).run(sequence.seq);
    db.prepare(
      `INSERT INTO sqlite_sequence (name, seq) SELECT 'events', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'events')`,
    ).run(sequence.seq);
  }
}

/** One events row as better-sqlite3 returns it with safe integers on. */
export interface EventRow {
  position: bigint;
  stream_id: string;
  revision: bigint;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

export const EVENT_COLUMNS = 'position, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash';

/**
 * A row of EVENT_COLUMNS as an array (a `raw()` statement): better-sqlite3 then skips building a keyed object per
 * row, which is most of what reading a page of `$all` costs besides JSON.parse.
 */
export type RawEventRow = [bigint, string, bigint, string, string, string, string, string, string, string];

export function rawRowToEvent(row: RawEventRow): RecordedEvent {
  const streamId = row[1];
  const revision = row[2];
  return {
    id: row[3],
    streamId,
    type: row[4],
    data: parseColumn(streamId, revision, 'data', row[5]),
    metadata: parseColumn(streamId, revision, 'metadata', row[6]) as RecordedEvent['metadata'],
    revision,
    position: row[0],
    recordedAt: row[7],
    prevHash: row[8],
    hash: row[9],
  };
}

/** The writer only stores canonical JSON, so text that does not parse was changed outside the store. */
function parseColumn(streamId: string, revision: bigint, column: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TamperedEventError(streamId, revision, `stored ${column} is not valid JSON`);
  }
}
