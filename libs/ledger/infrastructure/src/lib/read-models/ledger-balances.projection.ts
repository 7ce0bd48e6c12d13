import { addDelta, type Balances, balanceDeltasOf, type LedgerEvent, zeroBalances } from '@smilepay/ledger/domain';
import type { RecordedEvent } from '@smilepay/shared/eventstore';
import { type Projection, transactionScope } from '@smilepay/shared/projections';
import type { EntityManager } from 'typeorm';
import {
  type AccountRow,
  insertAccountRows,
  loadAccountRows,
  type NewAccountRow,
  updateAccountCounters,
} from './ledger-account-rows';
import { type LedgerRecord, ledgerRecords } from './ledger-event-records';

export const LEDGER_BALANCES_PROJECTION = 'ledger_balances';

type Delta = Map<string, Balances>;

/**
 * The counter changes one event makes, summed per account (a batch may touch one account in several legs).
 * The domain's balanceDeltasOf is the single definition of what moves a counter; it gives LedgerCreditApplied no
 * effect because that event copies an entry already counted where it was recorded.
 */
function balanceDelta(event: LedgerEvent): Delta {
  const delta: Delta = new Map();
  for (const { accountId, ...change } of balanceDeltasOf(event)) {
    delta.set(accountId, addDelta(delta.get(accountId) ?? zeroBalances(), change));
  }
  return delta;
}

function openedRow(record: LedgerRecord & { event: { type: 'LedgerAccountOpened' } }): NewAccountRow {
  const { data } = record.event;
  return {
    ...zeroBalances(),
    id: data.accountId,
    kind: data.kind,
    currency: data.currency,
    ledger: data.ledger,
    code: data.code,
    flags: [...data.flags],
    openedAt: data.timestamp,
    lastPosition: record.position,
  };
}

function applyDelta(row: AccountRow, change: Balances, record: LedgerRecord): void {
  row.debitsPending += change.debitsPending;
  row.debitsPosted += change.debitsPosted;
  row.creditsPending += change.creditsPending;
  row.creditsPosted += change.creditsPosted;
  row.lastPosition = record.position;
  if (row.debitsPending < 0n || row.creditsPending < 0n) {
    // Only a release of something never reserved gets here: the event history is inconsistent, stop loudly.
    throw new Error(`ledger_balances: account ${row.id} pending counters went negative at position ${record.position}`);
  }
}

/**
 * Folds a batch into its rows in memory: each touched account is read once, every event's delta is added to it in
 * order, and each row is written once at the end, however many events of the batch touched it.
 */
function foldBatch(records: LedgerRecord[], deltas: Delta[], rows: Map<string, AccountRow>) {
  const inserted = new Map<string, NewAccountRow>();
  const updated = new Set<AccountRow>();
  records.forEach((record, i) => {
    if (record.event.type === 'LedgerAccountOpened') {
      if (rows.has(record.event.data.accountId)) return;
      const row = openedRow({ ...record, event: record.event });
      rows.set(row.id, row);
      inserted.set(row.id, row);
      return;
    }
    for (const [accountId, change] of deltas[i]) {
      const row = rows.get(accountId);
      if (row === undefined) {
        throw new Error(`ledger_balances: ${record.event.type} at position ${record.position} touches unopened account ${accountId}`);
      }
      if (row.lastPosition >= record.position) continue;
      applyDelta(row, change, record);
      if (!inserted.has(row.id)) updated.add(row);
    }
  });
  return { inserted: [...inserted.values()], updated: [...updated] };
}

function touchedAccounts(records: LedgerRecord[], deltas: Delta[]): string[] {
  const ids = new Set<string>();
  records.forEach(({ event }, i) => {
    if (event.type === 'LedgerAccountOpened') ids.add(event.data.accountId);
    for (const accountId of deltas[i].keys()) ids.add(accountId);
  });
  return [...ids];
}

/** Most rows remembered for one transaction (every cache has a limit); past it, rows are read again. */
const MAX_REMEMBERED_ROWS = 100_000;

const remembered = new WeakMap<object, Map<string, AccountRow>>();

/**
 * The rows this transaction has already read or written, as they now stand in it: a rebuild applies several pages in
 * one transaction, and a row the previous page wrote is exactly what a SELECT would return, so each touched account
 * is read once per transaction instead of once per page. Keyed by the transaction's scope, so nothing outlives a
 * commit or a rollback (a batch that fails after changing a row in memory rolls back with it).
 */
function rowsOf(tx: EntityManager): Map<string, AccountRow> {
  const scope = transactionScope(tx);
  if (scope === undefined) return new Map();
  let rows = remembered.get(scope);
  if (rows === undefined || rows.size > MAX_REMEMBERED_ROWS) remembered.set(scope, (rows = new Map()));
  return rows;
}

/**
 * `ledger_accounts`: definitions and the four counters. Each row remembers the last event applied to it, so
 * applying an event twice (a re-delivery that slipped past the checkpoint) changes nothing.
 */
export const ledgerBalancesProjection: Projection = {
  name: LEDGER_BALANCES_PROJECTION,
  tables: ['ledger_accounts'],
  async apply(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    const records = ledgerRecords(events);
    if (records.length === 0) return;
    const deltas = records.map((record) => balanceDelta(record.event));
    const rows = rowsOf(tx);
    const missing = touchedAccounts(records, deltas).filter((id) => !rows.has(id));
    for (const [id, row] of await loadAccountRows(tx, missing)) rows.set(id, row);
    const { inserted, updated } = foldBatch(records, deltas, rows);
    await insertAccountRows(tx, inserted);
    await updateAccountCounters(tx, updated);
  },
};
