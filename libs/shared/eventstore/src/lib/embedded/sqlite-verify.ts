import type Database from 'better-sqlite3';
import { ChainCursor, computeEventHashFromCanonical, type ChainBreak } from '../hash-chain';
import { requireIntegerInRange } from '../limits';
import { EVENT_COLUMNS, type EventRow } from './sqlite-schema';

export interface VerifyAllOptions {
  /** Stop after this many broken streams (default 100): one tampered file should not produce an unbounded report. */
  maxBroken?: number;
  /** Rows read per query (default 1,000). */
  pageSize?: number;
}

export interface VerifyAllResult {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  /** One entry per broken stream, at its first broken revision, in stream id order. */
  broken: ChainBreak[];
  /** True when the walk stopped at maxBroken: more streams may be broken. */
  truncated: boolean;
}

/**
 * Verifies every stream of an embedded store file. Hashes are recomputed over the stored text itself (not a
 * re-encoding of the parsed JSON), so any changed byte of type, data or metadata is caught. Each stream's chain must
 * also end exactly at the head recorded in `streams`, which catches a removed tail, and a head with no events at all
 * is reported too, as are events whose stream has no head row. Runs in one read transaction, so a concurrent writer
 * in another process cannot produce false breaks; it is synchronous and meant for audits and tests, not for a
 * request path.
 */
export function verifySqliteChains(db: Database.Database, options: VerifyAllOptions = {}): VerifyAllResult {
  const maxBroken = options.maxBroken ?? 100;
  requireIntegerInRange('maxBroken', maxBroken, 1, 10_000);
  const pageSize = options.pageSize ?? 1_000;
  requireIntegerInRange('pageSize', pageSize, 1, 10_000);
  return db.transaction(() => new ChainAudit(db, maxBroken, pageSize).run())();
}

type ChainRow = EventRow & { streamId: string; prevHash: string };

interface HeadRow {
  stream_key: bigint;
  stream_id: string;
  revision: bigint;
  hash: string;
}

/** Walks the heads in stream id order and each head's events in revision order, both in bounded pages. */
class ChainAudit {
  private readonly result: VerifyAllResult = {
    ok: true,
    streamsChecked: 0,
    eventsChecked: 0,
    broken: [],
    truncated: false,
  };
  private readonly heads: Database.Statement;
  private readonly events: Database.Statement;
  private readonly orphans: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly maxBroken: number,
    private readonly pageSize: number,
  ) {
    this.heads = db.prepare(
      'SELECT stream_key, stream_id, revision, hash FROM streams WHERE stream_id > ? ORDER BY stream_id LIMIT ?',
    );
    this.events = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_key = ? AND revision > ? ORDER BY revision LIMIT ?`,
    );
    // Events whose key has no head row: the row was removed from the file, so the walk above never sees them.
    this.orphans = db.prepare(
      `SELECT stream_id, min(revision) AS revision FROM events e
       WHERE NOT EXISTS (SELECT 1 FROM streams s WHERE s.stream_key = e.stream_key)
       GROUP BY stream_key ORDER BY stream_id LIMIT ?`,
    );
  }

  run(): VerifyAllResult {
    let after = '';
    for (;;) {
      const heads = this.heads.all(after, this.pageSize) as HeadRow[];
      for (const head of heads) {
        this.result.streamsChecked += 1;
        const broken = this.checkStream(head);
        if (broken !== undefined) this.report(broken);
        if (this.result.truncated) return this.result;
      }
      if (heads.length < this.pageSize) break;
      after = heads[heads.length - 1].stream_id;
    }
    this.reportOrphans();
    return this.result;
  }

  /** The stream's first broken link, or its last verified event disagreeing with the head the store appends after. */
  private checkStream(head: HeadRow): ChainBreak | undefined {
    const cursor = new ChainCursor<ChainRow>(head.stream_id, recomputeStoredHash);
    let after = -1n;
    for (;;) {
      const rows = this.events.all(head.stream_key, after, this.pageSize) as EventRow[];
      for (const row of rows) {
        const broken = cursor.check({ ...row, streamId: row.stream_id, prevHash: row.prev_hash });
        if (broken) return broken;
        this.result.eventsChecked += 1;
      }
      if (rows.length < this.pageSize) break;
      after = rows[rows.length - 1].revision;
    }
    if (cursor.lastRevision === undefined) {
      return {
        streamId: head.stream_id,
        revision: 0n,
        reason: 'stream_head_mismatch',
        message: `stream head says revision ${head.revision}, but no events are stored`,
      };
    }
    if (head.revision === cursor.lastRevision && head.hash === cursor.lastHash) return undefined;
    return {
      streamId: head.stream_id,
      revision: cursor.lastRevision + 1n,
      reason: 'stream_head_mismatch',
      message: `stored events end at revision ${cursor.lastRevision}, stream head says revision ${head.revision} (${head.hash})`,
    };
  }

  private reportOrphans(): void {
    const remaining = this.maxBroken - this.result.broken.length;
    if (remaining <= 0) return;
    const rows = this.orphans.all(remaining + 1) as { stream_id: string; revision: bigint }[];
    for (const row of rows) {
      if (this.result.truncated) return;
      this.result.streamsChecked += 1;
      this.report({
        streamId: row.stream_id,
        revision: row.revision,
        reason: 'stream_head_mismatch',
        message: 'events are stored, but the stream has no head row',
      });
    }
  }

  private report(broken: ChainBreak): void {
    if (this.result.broken.length >= this.maxBroken) {
      this.result.truncated = true;
      return;
    }
    this.result.ok = false;
    this.result.broken.push(broken);
  }
}

function recomputeStoredHash(row: ChainRow): string {
  return computeEventHashFromCanonical({
    streamId: row.stream_id,
    revision: row.revision,
    type: row.type,
    dataJson: row.data,
    metadataJson: row.metadata,
    prevHash: row.prev_hash,
  });
}
