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
 * is reported too. Runs in one read transaction, so a concurrent writer in another process cannot produce false
 * breaks; it is synchronous and meant for audits and tests, not for a request path.
 */
export function verifySqliteChains(db: Database.Database, options: VerifyAllOptions = {}): VerifyAllResult {
  const maxBroken = options.maxBroken ?? 100;
  requireIntegerInRange('maxBroken', maxBroken, 1, 10_000);
  const pageSize = options.pageSize ?? 1_000;
  requireIntegerInRange('pageSize', pageSize, 1, 10_000);
  return db.transaction(() => new ChainAudit(db, maxBroken, pageSize).run())();
}

type RowCursor = ChainCursor<EventRow & { streamId: string; prevHash: string }>;

class ChainAudit {
  private readonly result: VerifyAllResult = {
    ok: true,
    streamsChecked: 0,
    eventsChecked: 0,
    broken: [],
    truncated: false,
  };
  private readonly page: Database.Statement;
  private readonly head: Database.Statement;
  private readonly headsWithoutEvents: Database.Statement;
  private cursor: RowCursor | undefined;
  /** Set once the current stream is broken: its later rows are skipped, one report per stream. */
  private currentBroken = false;

  constructor(
    db: Database.Database,
    private readonly maxBroken: number,
    private readonly pageSize: number,
  ) {
    // Row-value keyset paging over the UNIQUE (stream_id, revision) index: each page is an index range scan.
    this.page = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE (stream_id, revision) > (?, ?) ORDER BY stream_id, revision LIMIT ?`,
    );
    this.head = db.prepare('SELECT revision, hash FROM streams WHERE stream_id = ?');
    this.headsWithoutEvents = db.prepare(
      `SELECT stream_id, revision FROM streams s
       WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.stream_id) ORDER BY stream_id LIMIT ?`,
    );
  }

  run(): VerifyAllResult {
    let after: [string, bigint] = ['', -1n];
    for (;;) {
      const rows = this.page.all(after[0], after[1], this.pageSize) as EventRow[];
      for (const row of rows) {
        this.visit(row);
        if (this.result.truncated) return this.result;
      }
      if (rows.length < this.pageSize) break;
      const last = rows[rows.length - 1];
      after = [last.stream_id, last.revision];
    }
    this.finishStream();
    this.reportHeadsWithoutEvents();
    return this.result;
  }

  private visit(row: EventRow): void {
    if (this.cursor?.streamId !== row.stream_id) {
      this.finishStream();
      if (this.result.truncated) return;
      this.cursor = new ChainCursor(row.stream_id, recomputeStoredHash);
      this.currentBroken = false;
      this.result.streamsChecked += 1;
    }
    if (this.currentBroken) return;
    const broken = this.cursor.check({ ...row, streamId: row.stream_id, prevHash: row.prev_hash });
    if (broken) this.report(broken);
    else this.result.eventsChecked += 1;
  }

  /** The stream's last verified event must be the head the store appends after. */
  private finishStream(): void {
    const cursor = this.cursor;
    if (cursor === undefined || this.currentBroken) return;
    const head = this.head.get(cursor.streamId) as { revision: bigint; hash: string } | undefined;
    if (head && head.revision === cursor.lastRevision && head.hash === cursor.lastHash) return;
    const expected = head ? `revision ${head.revision} (${head.hash})` : 'no head row';
    this.report({
      streamId: cursor.streamId,
      revision: (cursor.lastRevision ?? -1n) + 1n,
      reason: 'stream_head_mismatch',
      message: `stored events end at revision ${cursor.lastRevision}, stream head says ${expected}`,
    });
  }

  private reportHeadsWithoutEvents(): void {
    const remaining = this.maxBroken - this.result.broken.length;
    if (remaining <= 0) return;
    const rows = this.headsWithoutEvents.all(remaining + 1) as { stream_id: string; revision: bigint }[];
    for (const row of rows) {
      if (this.result.truncated) return;
      this.result.streamsChecked += 1;
      this.report({
        streamId: row.stream_id,
        revision: 0n,
        reason: 'stream_head_mismatch',
        message: `stream head says revision ${row.revision}, but no events are stored`,
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
    this.currentBroken = true;
  }
}

function recomputeStoredHash(row: EventRow & { streamId: string; prevHash: string }): string {
  return computeEventHashFromCanonical({
    streamId: row.stream_id,
    revision: row.revision,
    type: row.type,
    dataJson: row.data,
    metadataJson: row.metadata,
    prevHash: row.prev_hash,
  });
}
