import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { DuplicateEventIdError } from '../errors';
import type {
  AppendResult,
  BatchHandler,
  EventStore,
  ExpectedState,
  NewEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { checkExpectedState } from '../expected-state';
import { computeEventHashFromCanonical } from '../hash-chain';
import {
  EVENT_STORE_LIMITS,
  requireIntegerInRange,
  requirePosition,
  requireRevision,
  resolveSubscribeOptions,
} from '../limits';
import { prepareEvents, requireExpectedState, requireStreamId, type PreparedEvent } from '../prepared-event';
import { GroupCommitQueue, type GroupOutcome } from './group-commit';
import { PollingSubscription } from './polling-subscription';
import {
  EVENT_COLUMNS,
  openEventDatabase,
  type RawEventRow,
  rawRowToEvent,
  type SqliteOpenOptions,
} from './sqlite-schema';
import { verifySqliteChains, type VerifyAllOptions, type VerifyAllResult } from './sqlite-verify';

/** One stream's part of an appendMany transaction. */
export interface AppendRequest {
  streamId: string;
  events: NewEvent[];
  expectedState: ExpectedState;
}

interface PreparedAppend {
  streamId: string;
  events: PreparedEvent[];
  expectedState: ExpectedState;
}

export interface SqliteEventStoreOptions extends SqliteOpenOptions {
  /**
   * Group commit (default on): the `append` calls of one event-loop turn are written in one transaction, each still
   * checked against its own expected state and failing alone. Off: every append is its own transaction.
   */
  groupCommit?: boolean;
}

/** Most appends written by one group transaction. */
export const MAX_GROUP_COMMIT_APPENDS = 1_000;

export interface SqliteFileInfo {
  filename: string;
  journalMode: string;
  synchronous: string;
  schemaVersion: number;
}

const SYNCHRONOUS_NAMES: Record<number, string> = { 0: 'off', 1: 'normal', 2: 'full', 3: 'extra' };

/**
 * The embedded event store: one SQLite file in WAL mode (docs/ARCHITECTURE.md, "Event store").
 *
 * better-sqlite3 is synchronous, so every method does its work before returning a settled promise. Appends are
 * IMMEDIATE transactions: they take the file's write lock before reading the stream head, so two processes writing
 * the same file serialise instead of failing at commit. Because SQLite has a single writer, positions become
 * visible in order and a reader never sees position N+1 before N (the gap problem of sequence-based SQL stores).
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly writeAppends: Database.Transaction<
    (requests: PreparedAppend[], recordedAt: string) => AppendResult[]
  >;
  private readonly writeGroup: Database.Transaction<
    (requests: PreparedAppend[], recordedAt: string) => GroupOutcome<AppendResult>[]
  >;
  private readonly group: GroupCommitQueue<PreparedAppend, AppendResult> | undefined;
  private readonly subscriptions = new Set<PollingSubscription>();
  private closed = false;
  /**
   * The key the next new stream gets, read once per transaction: the transaction holds the file's write lock, so no
   * other writer can take a key meanwhile. A key given to an append that then rolls back leaves a harmless gap.
   */
  private nextStreamKey: bigint | undefined;

  /** `filename` is a file path (its directory must exist; see openSqliteEventStore), or ':memory:' for throw-away use. */
  constructor(
    readonly filename: string,
    options: SqliteEventStoreOptions = {},
  ) {
    this.db = openEventDatabase(filename, options);
    this.statements = prepareStatements(this.db);
    this.writeAppends = this.db.transaction((requests: PreparedAppend[], recordedAt: string) => {
      this.nextStreamKey = undefined;
      return requests.map((request) => this.writeAppend(request, recordedAt));
    });
    // Called inside writeGroup, a better-sqlite3 transaction function runs as a SAVEPOINT: a request that fails
    // rolls back its own writes only, and the group's other requests still commit.
    const writeOne = this.db.transaction((request: PreparedAppend, recordedAt: string) =>
      this.writeAppend(request, recordedAt),
    );
    this.writeGroup = this.db.transaction((requests: PreparedAppend[], recordedAt: string) => {
      this.nextStreamKey = undefined;
      return requests.map((request): GroupOutcome<AppendResult> => {
        if (request.events.length === 1) return this.writeSingleInGroup(request, recordedAt);
        try {
          return { ok: true, result: writeOne(request, recordedAt) };
        } catch (error) {
          // SQLite ends the whole transaction on some errors (disk full, I/O): then the group cannot go on.
          if (!this.db.inTransaction) throw error;
          return { ok: false, error: this.explainWriteError(error, [request]) };
        }
      });
    });
    this.group =
      options.groupCommit === false
        ? undefined
        : new GroupCommitQueue((requests) => this.commitGroup(requests), (request) => request.events.length, {
            maxRequests: MAX_GROUP_COMMIT_APPENDS,
            maxUnits: EVENT_STORE_LIMITS.maxEventsPerTransaction,
          });
  }

  async append(streamId: string, events: NewEvent[], options: { expectedState: ExpectedState }): Promise<AppendResult> {
    const request = prepareAppend({ streamId, events, expectedState: options?.expectedState });
    this.assertOpen();
    if (this.group !== undefined) return this.group.submit(request);
    const [result] = this.appendPrepared([request]);
    return result;
  }

  /**
   * Several appends in ONE transaction: all are written or none is (any failed expectation or bad event aborts the
   * lot). The same stream may appear more than once; later requests see the earlier ones' events.
   */
  async appendMany(requests: AppendRequest[]): Promise<AppendResult[]> {
    if (!Array.isArray(requests) || requests.length === 0) {
      throw new RangeError('appendMany needs at least one request');
    }
    // Counted before encoding anything, so an oversized batch is refused without doing its work first.
    const total = requests.reduce(
      (sum, request) => sum + (Array.isArray(request?.events) ? request.events.length : 0),
      0,
    );
    if (total > EVENT_STORE_LIMITS.maxEventsPerTransaction) {
      throw new RangeError(
        `appendMany: ${total} events in one transaction, limit ${EVENT_STORE_LIMITS.maxEventsPerTransaction}`,
      );
    }
    const prepared = requests.map(prepareAppend);
    // Appends submitted earlier in this turn are written first, so positions follow call order.
    this.flushAppends();
    return this.appendPrepared(prepared);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    requireStreamId(streamId);
    this.flushAppends();
    const limit = options.maxCount === undefined ? -1 : checkedMaxCount(options.maxCount, Number.MAX_SAFE_INTEGER);
    if (options.fromRevision !== undefined) requireRevision('fromRevision', options.fromRevision);
    const rows =
      options.direction === 'backwards'
        ? this.statements.readBackwards.all(streamId, options.fromRevision ?? BigInt(Number.MAX_SAFE_INTEGER), limit)
        : this.statements.readForwards.all(streamId, options.fromRevision ?? 0n, limit);
    return (rows as RawEventRow[]).map(rawRowToEvent);
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllPage> {
    this.assertOpen();
    const after = options?.after ?? -1n;
    requirePosition('after', after);
    const maxCount = checkedMaxCount(options?.maxCount, EVENT_STORE_LIMITS.maxPageSize);
    this.flushAppends();
    // One row more than asked tells whether this page reaches the end without a second query.
    const rows = this.statements.readAll.all(after, maxCount + 1) as RawEventRow[];
    const count = Math.min(rows.length, maxCount);
    const events = new Array<RecordedEvent>(count);
    for (let i = 0; i < count; i++) events[i] = rawRowToEvent(rows[i]);
    const lastPosition = events.length > 0 ? events[events.length - 1].position : after;
    return { events, lastPosition, isEnd: rows.length <= maxCount };
  }

  subscribeToAll(handler: BatchHandler, options?: SubscribeOptions): Subscription {
    this.assertOpen();
    const resolved = resolveSubscribeOptions(options);
    const readPage = (after: bigint, maxCount: number) => {
      // A subscription still polling when the store closes ends cleanly instead of reading a closed handle.
      if (this.closed) return [];
      this.flushAppends();
      return (this.statements.readAll.all(after, maxCount) as RawEventRow[]).map(rawRowToEvent);
    };
    const subscription = new PollingSubscription(readPage, handler, resolved, (s) => this.subscriptions.delete(s));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    this.flushAppends();
    const row = this.statements.head.get() as { position: bigint | null };
    return row.position ?? -1n;
  }

  /**
   * Walks every stream's hash chain over the stored bytes and reports each broken stream once, at its first broken
   * revision. Reads in bounded pages, so it works on files larger than memory.
   */
  async verifyAll(options: VerifyAllOptions = {}): Promise<VerifyAllResult> {
    this.assertOpen();
    this.flushAppends();
    return verifySqliteChains(this.db, options);
  }

  /** The file's durability settings as this connection sees them, for health checks and startup logs. */
  fileInfo(): SqliteFileInfo {
    this.assertOpen();
    const synchronous = Number(this.db.pragma('synchronous', { simple: true }));
    return {
      filename: this.filename,
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: SYNCHRONOUS_NAMES[synchronous] ?? String(synchronous),
      schemaVersion: Number(this.db.pragma('user_version', { simple: true })),
    };
  }

  /** Stops running subscriptions (after their batch in flight), then closes the file. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already accepted are written, not dropped.
    this.flushAppends();
    const running = [...this.subscriptions].map((subscription) => subscription.stop());
    this.closed = true;
    await Promise.all(running);
    this.db.close();
  }

  /** Writes the appends waiting for group commit now (reads call this first: they see every earlier append). */
  flushAppends(): void {
    if (this.group !== undefined && this.group.size > 0) this.group.flush();
  }

  private appendPrepared(requests: PreparedAppend[]): AppendResult[] {
    this.assertOpen();
    let results: AppendResult[];
    try {
      results = this.writeAppends.immediate(requests, new Date().toISOString());
    } catch (error) {
      throw this.explainWriteError(error, requests);
    }
    this.wakeSubscriptions();
    return results;
  }

  /** One IMMEDIATE transaction for the group; outcomes per request. Throws only if the transaction itself fails. */
  private commitGroup(requests: PreparedAppend[]): GroupOutcome<AppendResult>[] {
    this.assertOpen();
    const outcomes = this.writeGroup.immediate(requests, new Date().toISOString());
    if (outcomes.some((outcome) => outcome.ok)) this.wakeSubscriptions();
    return outcomes;
  }

  /** Live subscribers in this process hear about an append now instead of at their next poll. */
  private wakeSubscriptions(): void {
    for (const subscription of this.subscriptions) subscription.wake();
  }

  /** A unique-id violation becomes the DuplicateEventIdError naming the event; anything else is returned as is. */
  private explainWriteError(error: unknown, requests: PreparedAppend[]): unknown {
    if (!isUniqueIdViolation(error)) return error;
    const isStored = (id: string) => this.statements.eventById.get(id) !== undefined;
    return findDuplicateId(requests, isStored) ?? error;
  }

  /** Runs inside the transaction: checks the expectation against the stream head, chains and inserts the events. */
  private writeAppend(request: PreparedAppend, recordedAt: string): AppendResult {
    const head = this.checkedHead(request);
    return this.writeHead(request.streamId, head, this.insertEvents(request, head, recordedAt));
  }

  /**
   * A one-event append of a group, without a savepoint of its own: until its single INSERT succeeds it has written
   * nothing (a failed check throws before it, and SQLite undoes a failed statement by itself), so such a failure
   * is this request's alone. A failure after it, while moving the stream head, aborts the whole group instead.
   * A savepoint and its release cost two statements per append, about as much as the append's own writes.
   */
  private writeSingleInGroup(request: PreparedAppend, recordedAt: string): GroupOutcome<AppendResult> {
    let head: StreamHead;
    let written: WrittenEvents;
    try {
      head = this.checkedHead(request);
      written = this.insertEvents(request, head, recordedAt);
    } catch (error) {
      if (!this.db.inTransaction) throw error;
      return { ok: false, error: this.explainWriteError(error, [request]) };
    }
    return { ok: true, result: this.writeHead(request.streamId, head, written) };
  }

  /** Reads the stream's head under the write lock and checks the expectation against it. Writes nothing. */
  private checkedHead({ streamId, expectedState }: PreparedAppend): StreamHead {
    const row = this.statements.streamHead.get(streamId) as StreamHeadRow | undefined;
    checkExpectedState(streamId, expectedState, row?.revision);
    if (row !== undefined) return { key: row.stream_key, revision: row.revision, hash: row.hash, exists: true };
    this.nextStreamKey ??= (this.statements.nextStreamKey.get() as { key: bigint }).key;
    return { key: this.nextStreamKey, revision: -1n, hash: '', exists: false };
  }

  /** Inserts the events after `head`, each hashed onto the previous one. */
  private insertEvents(request: PreparedAppend, head: StreamHead, recordedAt: string): WrittenEvents {
    const { streamId, events } = request;
    let revision = head.revision;
    let prevHash = head.hash;
    let position = -1n;
    for (const event of events) {
      revision += 1n;
      const { type, dataJson, metadataJson } = event;
      const hash = computeEventHashFromCanonical({ streamId, revision, type, dataJson, metadataJson, prevHash });
      const info = this.statements.insertEvent.run(
        head.key,
        streamId,
        revision,
        event.id,
        type,
        dataJson,
        metadataJson,
        recordedAt,
        prevHash,
        hash,
      );
      position = BigInt(info.lastInsertRowid);
      prevHash = hash;
    }
    return { revision, hash: prevHash, position };
  }

  private writeHead(streamId: string, head: StreamHead, written: WrittenEvents): AppendResult {
    if (head.exists) this.statements.updateStreamHead.run(written.revision, written.hash, head.key);
    else {
      this.statements.insertStreamHead.run(head.key, streamId, written.revision, written.hash);
      this.nextStreamKey = head.key + 1n;
    }
    return { nextExpectedRevision: written.revision, position: written.position };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`event store ${this.filename} is closed`);
  }
}

/** Opens a store file, creating its directory first. ':memory:' is for throw-away use (tests, one-off tools). */
export function openSqliteEventStore(filename: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  return new SqliteEventStore(filename, options);
}

interface StreamHeadRow {
  stream_key: bigint;
  revision: bigint;
  hash: string;
}

/** A stream's head as an append sees it; `exists` false: a new stream, with the key it will get. */
interface StreamHead {
  key: bigint;
  revision: bigint;
  hash: string;
  exists: boolean;
}

interface WrittenEvents {
  revision: bigint;
  hash: string;
  position: bigint;
}

/** Streams are looked up by key through the streams row of their id (one index probe) in every read. */
const STREAM_KEY_OF = '(SELECT stream_key FROM streams WHERE stream_id = ?)';

function prepareStatements(db: Database.Database) {
  return {
    streamHead: db.prepare('SELECT stream_key, revision, hash FROM streams WHERE stream_id = ?'),
    // Past every key in use, including one left by events whose head row was removed from the file by hand.
    nextStreamKey: db.prepare(
      `SELECT max(coalesce((SELECT max(stream_key) FROM streams), 0),
                  coalesce((SELECT max(stream_key) FROM events), 0)) + 1 AS key`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO events (stream_key, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertStreamHead: db.prepare('INSERT INTO streams (stream_key, stream_id, revision, hash) VALUES (?, ?, ?, ?)'),
    updateStreamHead: db.prepare('UPDATE streams SET revision = ?, hash = ? WHERE stream_key = ?'),
    // Readers return arrays (raw), turned into events by rawRowToEvent.
    readForwards: db
      .prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_key = ${STREAM_KEY_OF} AND revision >= ?
         ORDER BY revision ASC LIMIT ?`,
      )
      .raw(true),
    readBackwards: db
      .prepare(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_key = ${STREAM_KEY_OF} AND revision <= ?
         ORDER BY revision DESC LIMIT ?`,
      )
      .raw(true),
    readAll: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`).raw(true),
    head: db.prepare('SELECT max(position) AS position FROM events'),
    eventById: db.prepare('SELECT position FROM events WHERE id = ?'),
  };
}

function prepareAppend(request: AppendRequest): PreparedAppend {
  if (typeof request !== 'object' || request === null) throw new TypeError('append request must be an object');
  requireExpectedState(request.expectedState);
  return {
    streamId: request.streamId,
    events: prepareEvents(request.streamId, request.events),
    expectedState: request.expectedState,
  };
}

function checkedMaxCount(maxCount: number | undefined, limit: number): number {
  requireIntegerInRange('maxCount', maxCount as number, 1, limit);
  return maxCount as number;
}

/**
 * Which event of a failed batch carries an id that is already taken: stored earlier, or repeated across the requests
 * of one appendMany. Only runs on the error path, after the transaction rolled back.
 */
function findDuplicateId(
  requests: PreparedAppend[],
  isStored: (id: string) => boolean,
): DuplicateEventIdError | undefined {
  const seen = new Set<string>();
  for (const request of requests) {
    for (const event of request.events) {
      if (seen.has(event.id) || isStored(event.id)) return new DuplicateEventIdError(request.streamId, event.id);
      seen.add(event.id);
    }
  }
  return undefined;
}

function isUniqueIdViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && String((error as Error).message).includes('events.id');
}
