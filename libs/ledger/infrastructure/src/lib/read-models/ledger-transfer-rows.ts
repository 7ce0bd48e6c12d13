import { postgresQuery, type ReadModelDialect, sqliteStatement, sqliteUtcDatetime } from '@smilepay/shared/projections';
import type { EntityManager } from 'typeorm';
import type { LedgerTransferKind, LedgerTransferState } from './ledger-transfer.entity';

/** A `ledger_transfers` row as plain values (times ISO-8601), written without entity machinery. */
export interface TransferRow {
  id: string;
  batchId: string | null;
  kind: LedgerTransferKind;
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  currency: string;
  ledger: number;
  code: number;
  state: LedgerTransferState;
  pendingId: string | null;
  postedAmount: bigint | null;
  timeoutSeconds: number;
  createdAt: string;
  expiresAt: string | null;
  stream: string;
  position: bigint;
}

/** Moves a pending row to its final state, if it is still pending. */
export interface PendingResolution {
  pendingId: string;
  state: LedgerTransferState;
  postedAmount: bigint | null;
  resolvedAt: string;
  /** For the error when the pending row does not exist. */
  what: string;
}

export interface TransferWriteOrder {
  insert: TransferRow[];
  resolve?: PendingResolution;
}

interface TransferRowWriter {
  /** Applies the writes of one batch, in order, inside the batch's transaction. */
  write(tx: EntityManager, writes: readonly TransferWriteOrder[]): Promise<void>;
}

const COLUMNS =
  'id, batch_id, kind, debit_account_id, credit_account_id, amount, currency, ledger, code, state, pending_id, ' +
  'posted_amount, timeout_seconds, created_at, expires_at, resolved_at, stream, position';

function unknownPending(resolution: PendingResolution): Error {
  return new Error(`ledger_transfers: ${resolution.what} resolves unknown pending ${resolution.pendingId}`);
}

/** SQLite: each statement prepared once and run per row, in event order, exactly as the events say. */
const sqliteWriter: TransferRowWriter = {
  async write(tx, writes) {
    const insert = sqliteStatement(
      tx,
      `INSERT INTO ledger_transfers (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) ` +
        `ON CONFLICT (id) DO NOTHING`,
    );
    const resolve = sqliteStatement(
      tx,
      `UPDATE ledger_transfers SET state = ?, posted_amount = ?, resolved_at = ? WHERE id = ? AND state = 'pending'`,
    );
    const exists = sqliteStatement(tx, 'SELECT 1 FROM ledger_transfers WHERE id = ?');
    for (const write of writes) {
      for (const row of write.insert) {
        insert.run(
          row.id, row.batchId, row.kind, row.debitAccountId, row.creditAccountId, row.amount.toString(), row.currency,
          row.ledger, row.code, row.state, row.pendingId, row.postedAmount?.toString() ?? null, row.timeoutSeconds,
          sqliteUtcDatetime(row.createdAt), row.expiresAt === null ? null : sqliteUtcDatetime(row.expiresAt),
          row.stream, row.position,
        );
      }
      const resolution = write.resolve;
      if (resolution === undefined) continue;
      const { changes } = resolve.run(
        resolution.state,
        resolution.postedAmount?.toString() ?? null,
        sqliteUtcDatetime(resolution.resolvedAt),
        resolution.pendingId,
      );
      if (changes === 0 && exists.get(resolution.pendingId) === undefined) throw unknownPending(resolution);
    }
  },
};

/**
 * PostgreSQL: one array-bound statement for all the batch's new rows and one for all its resolutions. Equivalent to
 * the event-by-event order because a resolution only ever follows its pending row: the first row per id and the
 * first resolution per pending id win, as they would one by one. A resolution whose pending row is not inserted
 * earlier in the batch must find it already stored, checked before anything is written.
 */
const postgresWriter: TransferRowWriter = {
  async write(tx, writes) {
    const rows = new Map<string, TransferRow>();
    const resolutions = new Map<string, PendingResolution>();
    const mustExist = new Map<string, PendingResolution>();
    for (const write of writes) {
      for (const row of write.insert) if (!rows.has(row.id)) rows.set(row.id, row);
      const resolution = write.resolve;
      if (resolution === undefined || resolutions.has(resolution.pendingId)) continue;
      resolutions.set(resolution.pendingId, resolution);
      if (!rows.has(resolution.pendingId)) mustExist.set(resolution.pendingId, resolution);
    }
    await requireStored(tx, mustExist);
    await insertRows(tx, [...rows.values()]);
    await resolveRows(tx, [...resolutions.values()]);
  },
};

async function requireStored(tx: EntityManager, expected: Map<string, PendingResolution>): Promise<void> {
  if (expected.size === 0) return;
  const { rows } = await postgresQuery<{ id: string }>(
    tx,
    'SELECT id FROM ledger_transfers WHERE id = ANY($1::varchar[])',
    [[...expected.keys()]],
  );
  const found = new Set(rows.map((row) => row.id));
  for (const [id, resolution] of expected) if (!found.has(id)) throw unknownPending(resolution);
}

async function insertRows(tx: EntityManager, rows: TransferRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <T>(pick: (row: TransferRow) => T) => rows.map(pick);
  await postgresQuery(
    tx,
    `INSERT INTO ledger_transfers (${COLUMNS}) SELECT * FROM unnest(` +
      `$1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::numeric[], $7::varchar[], ` +
      `$8::int[], $9::int[], $10::varchar[], $11::varchar[], $12::numeric[], $13::int[], $14::timestamptz[], ` +
      `$15::timestamptz[], $16::timestamptz[], $17::varchar[], $18::bigint[]) ON CONFLICT (id) DO NOTHING`,
    [
      column((r) => r.id),
      column((r) => r.batchId),
      column((r) => r.kind),
      column((r) => r.debitAccountId),
      column((r) => r.creditAccountId),
      column((r) => r.amount.toString()),
      column((r) => r.currency),
      column((r) => r.ledger),
      column((r) => r.code),
      column((r) => r.state),
      column((r) => r.pendingId),
      column((r) => r.postedAmount?.toString() ?? null),
      column((r) => r.timeoutSeconds),
      column((r) => r.createdAt),
      column((r) => r.expiresAt),
      column(() => null),
      column((r) => r.stream),
      column((r) => r.position.toString()),
    ],
  );
}

async function resolveRows(tx: EntityManager, resolutions: PendingResolution[]): Promise<void> {
  if (resolutions.length === 0) return;
  await postgresQuery(
    tx,
    `UPDATE ledger_transfers AS t SET state = v.state, posted_amount = v.posted, resolved_at = v.resolved ` +
      `FROM unnest($1::varchar[], $2::varchar[], $3::numeric[], $4::timestamptz[]) AS v(id, state, posted, resolved) ` +
      `WHERE t.id = v.id AND t.state = 'pending'`,
    [
      resolutions.map((r) => r.pendingId),
      resolutions.map((r) => r.state),
      resolutions.map((r) => r.postedAmount?.toString() ?? null),
      resolutions.map((r) => r.resolvedAt),
    ],
  );
}

export function transferRowWriter(dialect: ReadModelDialect): TransferRowWriter {
  return dialect === 'sqlite' ? sqliteWriter : postgresWriter;
}
