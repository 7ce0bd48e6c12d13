import { addDelta, type Balances, balanceDeltasOf, type LedgerEvent, zeroBalances } from '@smilepay/ledger/domain';
import type { RecordedEvent } from '@smilepay/shared/eventstore';
import type { Projection } from '@smilepay/shared/projections';
import { type EntityManager, In } from 'typeorm';
import { LedgerAccountEntity } from './ledger-account.entity';
import { type LedgerRecord, ledgerRecords } from './ledger-event-records';

export const LEDGER_BALANCES_PROJECTION = 'ledger_balances';

/** Ids per `IN (...)` list: well under SQLite's bound-parameter limit. */
const LOAD_CHUNK = 500;
/** Rows per multi-row INSERT, for the same reason. */
const INSERT_CHUNK = 100;

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

function openedRow(record: LedgerRecord & { event: { type: 'LedgerAccountOpened' } }): LedgerAccountEntity {
  const { data } = record.event;
  const row = new LedgerAccountEntity();
  Object.assign(row, zeroBalances(), {
    id: data.accountId,
    kind: data.kind,
    currency: data.currency,
    ledger: data.ledger,
    code: data.code,
    flags: [...data.flags],
    openedAt: new Date(data.timestamp),
    lastPosition: record.position,
  });
  return row;
}

async function loadAccounts(tx: EntityManager, ids: string[]): Promise<Map<string, LedgerAccountEntity>> {
  const rows = new Map<string, LedgerAccountEntity>();
  for (let i = 0; i < ids.length; i += LOAD_CHUNK) {
    const found = await tx.getRepository(LedgerAccountEntity).findBy({ id: In(ids.slice(i, i + LOAD_CHUNK)) });
    for (const row of found) rows.set(row.id, row);
  }
  return rows;
}

function applyDelta(row: LedgerAccountEntity, change: Balances, record: LedgerRecord): void {
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
    const ids = new Set<string>();
    records.forEach((r, i) => {
      if (r.event.type === 'LedgerAccountOpened') ids.add(r.event.data.accountId);
      for (const id of deltas[i].keys()) ids.add(id);
    });
    const rows = await loadAccounts(tx, [...ids]);
    const inserted = new Map<string, LedgerAccountEntity>();
    const updated = new Set<LedgerAccountEntity>();
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
    const newRows = [...inserted.values()];
    for (let i = 0; i < newRows.length; i += INSERT_CHUNK) {
      await tx.getRepository(LedgerAccountEntity).insert(newRows.slice(i, i + INSERT_CHUNK));
    }
    for (const row of updated) {
      const { debitsPending, debitsPosted, creditsPending, creditsPosted, lastPosition } = row;
      await tx
        .getRepository(LedgerAccountEntity)
        .update({ id: row.id }, { debitsPending, debitsPosted, creditsPending, creditsPosted, lastPosition });
    }
  },
};
