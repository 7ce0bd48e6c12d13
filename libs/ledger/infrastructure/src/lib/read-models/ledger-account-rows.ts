import type { AccountFlag, Balances } from '@smilepay/ledger/domain';
import { postgresQuery, sqliteStatement, sqliteUtcDatetime, dialectOf } from '@smilepay/shared/projections';
import type { EntityManager } from 'typeorm';

/** A `ledger_accounts` row as the balances projection works on it: plain values, no entity machinery. */
export interface AccountRow extends Balances {
  id: string;
  lastPosition: bigint;
}

/** What LedgerAccountOpened adds on top of the counters. */
export interface NewAccountRow extends AccountRow {
  kind: string;
  currency: string;
  ledger: number;
  code: number;
  flags: readonly AccountFlag[];
  /** ISO-8601. */
  openedAt: string;
}

const COUNTERS = 'debits_pending, debits_posted, credits_pending, credits_posted, last_position';

interface StoredCounters {
  id: string;
  debits_pending: string;
  debits_posted: string;
  credits_pending: string;
  credits_posted: string;
  last_position: string | number | bigint;
}

function fromStored(row: StoredCounters): AccountRow {
  return {
    id: row.id,
    debitsPending: BigInt(row.debits_pending),
    debitsPosted: BigInt(row.debits_posted),
    creditsPending: BigInt(row.credits_pending),
    creditsPosted: BigInt(row.credits_posted),
    lastPosition: BigInt(row.last_position),
  };
}

/**
 * Reads and writes `ledger_accounts` rows in bulk inside a projection batch. Money is stored as decimal text on
 * SQLite and NUMERIC on PostgreSQL, exactly as the entity's transformers do, so entity reads see the same rows.
 */
export async function loadAccountRows(tx: EntityManager, ids: readonly string[]): Promise<Map<string, AccountRow>> {
  const rows = new Map<string, AccountRow>();
  if (ids.length === 0) return rows;
  if (dialectOf(tx) === 'sqlite') {
    const select = sqliteStatement(tx, `SELECT id, ${COUNTERS} FROM ledger_accounts WHERE id = ?`);
    for (const id of ids) {
      const found = select.get(id) as StoredCounters | undefined;
      if (found !== undefined) rows.set(id, fromStored(found));
    }
    return rows;
  }
  const { rows: found } = await postgresQuery<StoredCounters>(
    tx,
    `SELECT id, ${COUNTERS} FROM ledger_accounts WHERE id = ANY($1::varchar[])`,
    [ids],
  );
  for (const row of found) rows.set(row.id, fromStored(row));
  return rows;
}

export async function insertAccountRows(tx: EntityManager, rows: readonly NewAccountRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (dialectOf(tx) === 'sqlite') {
    const insert = sqliteStatement(
      tx,
      `INSERT INTO ledger_accounts (id, kind, currency, ledger, code, flags, opened_at, ${COUNTERS}) ` +
        `VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const row of rows) {
      insert.run(
        row.id, row.kind, row.currency, row.ledger, row.code, row.flags.join(','), sqliteUtcDatetime(row.openedAt),
        ...counterValues(row),
      );
    }
    return;
  }
  const column = <T>(pick: (row: NewAccountRow) => T) => rows.map(pick);
  await postgresQuery(
    tx,
    `INSERT INTO ledger_accounts (id, kind, currency, ledger, code, flags, opened_at, ${COUNTERS}) ` +
      `SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::int[], $5::int[], $6::text[], ` +
      `$7::timestamptz[], $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::bigint[])`,
    [
      column((r) => r.id),
      column((r) => r.kind),
      column((r) => r.currency),
      column((r) => r.ledger),
      column((r) => r.code),
      column((r) => r.flags.join(',')),
      column((r) => r.openedAt),
      ...counterColumns(rows),
    ],
  );
}

export async function updateAccountCounters(tx: EntityManager, rows: readonly AccountRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (dialectOf(tx) === 'sqlite') {
    const update = sqliteStatement(
      tx,
      `UPDATE ledger_accounts SET debits_pending = ?, debits_posted = ?, credits_pending = ?, credits_posted = ?, ` +
        `last_position = ? WHERE id = ?`,
    );
    for (const row of rows) update.run(...counterValues(row), row.id);
    return;
  }
  await postgresQuery(
    tx,
    `UPDATE ledger_accounts AS a SET debits_pending = v.dp, debits_posted = v.dpo, credits_pending = v.cp, ` +
      `credits_posted = v.cpo, last_position = v.lp ` +
      `FROM unnest($1::numeric[], $2::numeric[], $3::numeric[], $4::numeric[], $5::bigint[], $6::varchar[]) ` +
      `AS v(dp, dpo, cp, cpo, lp, id) WHERE a.id = v.id`,
    [...counterColumns(rows), rows.map((r) => r.id)],
  );
}

function counterValues(row: AccountRow): [string, string, string, string, bigint] {
  return [
    row.debitsPending.toString(),
    row.debitsPosted.toString(),
    row.creditsPending.toString(),
    row.creditsPosted.toString(),
    row.lastPosition,
  ];
}

function counterColumns(rows: readonly AccountRow[]): string[][] {
  const columns: string[][] = [[], [], [], [], []];
  for (const row of rows) counterValues(row).forEach((value, i) => columns[i].push(value.toString()));
  return columns;
}
