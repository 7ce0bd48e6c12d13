import {
  type LedgerPendingExpired,
  type LedgerPendingPosted,
  type LedgerPendingVoided,
  type LedgerTransfersRecorded,
  parseMinor,
} from '@smilepay/ledger/domain';
import type { RecordedEvent } from '@smilepay/shared/eventstore';
import type { Projection } from '@smilepay/shared/projections';
import { LEDGER_TRANSFERS_QUERY_INDEXES } from './create-ledger-read-models.migration';
import { dialectOf } from '@smilepay/shared/projections';
import type { EntityManager } from 'typeorm';
import { type LedgerRecord, ledgerRecords } from './ledger-event-records';
import { type PendingResolution, type TransferRow, type TransferWriteOrder, transferRowWriter } from './ledger-transfer-rows';

export const LEDGER_TRANSFERS_PROJECTION = 'ledger_transfers';

type Located<E> = { event: E; streamId: string; position: bigint };

function legRows(record: Located<LedgerTransfersRecorded>): TransferRow[] {
  const { batchId, transfers } = record.event.data;
  return transfers.map((leg) => ({
    id: leg.id,
    batchId,
    kind: leg.kind,
    debitAccountId: leg.debitAccountId,
    creditAccountId: leg.creditAccountId,
    amount: parseMinor(leg.amount),
    currency: leg.currency,
    ledger: leg.ledger,
    code: leg.code,
    state: leg.kind === 'pending' ? 'pending' : 'posted',
    pendingId: null,
    postedAmount: leg.kind === 'pending' ? null : parseMinor(leg.amount),
    timeoutSeconds: leg.kind === 'pending' ? leg.timeoutSeconds : 0,
    createdAt: leg.timestamp,
    expiresAt: leg.expiresAt ?? null,
    stream: record.streamId,
    position: record.position,
  }));
}

/** The post or void as a transfer row of its own, pointing at the pending one (TigerBeetle's model). */
function resolutionRow(record: Located<LedgerPendingPosted | LedgerPendingVoided>): TransferRow {
  const { data } = record.event;
  const posted = record.event.type === 'LedgerPendingPosted' ? parseMinor(record.event.data.amount) : null;
  return {
    id: data.id,
    batchId: null,
    kind: posted === null ? 'void_pending' : 'post_pending',
    debitAccountId: data.debitAccountId,
    creditAccountId: data.creditAccountId,
    amount: posted ?? parseMinor(data.pendingAmount),
    currency: data.currency,
    ledger: data.ledger,
    code: data.code,
    state: posted === null ? 'voided' : 'posted',
    pendingId: data.pendingId,
    postedAmount: posted,
    timeoutSeconds: 0,
    createdAt: data.timestamp,
    expiresAt: null,
    stream: record.streamId,
    position: record.position,
  };
}

function resolutionOf(
  record: Located<LedgerPendingPosted | LedgerPendingVoided | LedgerPendingExpired>,
): PendingResolution {
  const { event } = record;
  const state = event.type === 'LedgerPendingPosted' ? 'posted' : event.type === 'LedgerPendingVoided' ? 'voided' : 'expired';
  return {
    pendingId: event.data.pendingId,
    state,
    postedAmount: event.type === 'LedgerPendingPosted' ? parseMinor(event.data.amount) : null,
    resolvedAt: event.data.timestamp,
    what: `${event.type} at position ${record.position}`,
  };
}

/** The rows an event inserts and the pending row it resolves, in the order the event implies. */
function writeOf(record: LedgerRecord): TransferWriteOrder | undefined {
  const { event } = record;
  switch (event.type) {
    case 'LedgerTransfersRecorded':
      return { insert: legRows({ ...record, event }) };
    case 'LedgerPendingPosted':
    case 'LedgerPendingVoided':
      return { insert: [resolutionRow({ ...record, event })], resolve: resolutionOf({ ...record, event }) };
    case 'LedgerPendingExpired':
      return { insert: [], resolve: resolutionOf({ ...record, event }) };
    case 'LedgerAccountOpened':
    case 'LedgerCreditApplied':
      // A credit delivery copies a transfer already recorded in its source stream: no new row.
      return undefined;
    default: {
      const _exhaustive: never = event;
      throw new Error(`unhandled ledger event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/**
 * `ledger_transfers`: one row per transfer id, pending rows moving to posted, voided or expired. Idempotent per
 * event: a row whose id exists is left as it is, and a pending row is resolved once (later copies find it resolved).
 */
export const ledgerTransfersProjection: Projection = {
  name: LEDGER_TRANSFERS_PROJECTION,
  tables: ['ledger_transfers'],
  // Writes look rows up by id only (the primary key), so the query indexes can wait for the end of a rebuild.
  rebuildIndexes: LEDGER_TRANSFERS_QUERY_INDEXES,
  async apply(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    const writes: TransferWriteOrder[] = [];
    for (const record of ledgerRecords(events)) {
      const write = writeOf(record);
      if (write !== undefined) writes.push(write);
    }
    if (writes.length > 0) await transferRowWriter(dialectOf(tx)).write(tx, writes);
  },
};
