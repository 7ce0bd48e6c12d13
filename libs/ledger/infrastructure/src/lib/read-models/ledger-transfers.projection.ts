import {
  type LedgerPendingExpired,
  type LedgerPendingPosted,
  type LedgerPendingVoided,
  type LedgerTransfersRecorded,
  parseMinor,
} from '@smilepay/ledger/domain';
import type { RecordedEvent } from '@smilepay/shared/eventstore';
import type { Projection } from '@smilepay/shared/projections';
import type { EntityManager } from 'typeorm';
import { type LedgerRecord, ledgerRecords } from './ledger-event-records';
import { LedgerTransferEntity, type LedgerTransferState } from './ledger-transfer.entity';

export const LEDGER_TRANSFERS_PROJECTION = 'ledger_transfers';

const INSERT_CHUNK = 100;

type Located<E> = { event: E; streamId: string; position: bigint };

function legRows(record: Located<LedgerTransfersRecorded>): LedgerTransferEntity[] {
  const { batchId, transfers } = record.event.data;
  return transfers.map((leg) =>
    Object.assign(new LedgerTransferEntity(), {
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
      createdAt: new Date(leg.timestamp),
      expiresAt: leg.expiresAt === undefined ? null : new Date(leg.expiresAt),
      resolvedAt: null,
      stream: record.streamId,
      position: record.position,
    }),
  );
}

/** The post or void as a transfer row of its own, pointing at the pending one (TigerBeetle's model). */
function resolutionRow(record: Located<LedgerPendingPosted | LedgerPendingVoided>): LedgerTransferEntity {
  const { data } = record.event;
  const posted = record.event.type === 'LedgerPendingPosted' ? parseMinor(record.event.data.amount) : null;
  return Object.assign(new LedgerTransferEntity(), {
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
    createdAt: new Date(data.timestamp),
    expiresAt: null,
    resolvedAt: null,
    stream: record.streamId,
    position: record.position,
  });
}

/** Inserts rows whose id is new; a row already there (an event applied before) is left as it is. */
async function insertNew(tx: EntityManager, rows: LedgerTransferEntity[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await tx.createQueryBuilder().insert().into(LedgerTransferEntity).values(rows.slice(i, i + INSERT_CHUNK)).orIgnore().execute();
  }
}

/** Moves a pending row to its final state once; later copies of the same resolution find it resolved and do nothing. */
async function resolvePending(
  tx: EntityManager,
  record: Located<LedgerPendingPosted | LedgerPendingVoided | LedgerPendingExpired>,
  state: LedgerTransferState,
): Promise<void> {
  const { data } = record.event;
  const postedAmount = record.event.type === 'LedgerPendingPosted' ? parseMinor(record.event.data.amount) : null;
  const repository = tx.getRepository(LedgerTransferEntity);
  const result = await repository.update(
    { id: data.pendingId, state: 'pending' },
    { state, postedAmount, resolvedAt: new Date(data.timestamp) },
  );
  if (result.affected === 0 && !(await repository.existsBy({ id: data.pendingId }))) {
    throw new Error(`ledger_transfers: ${record.event.type} at position ${record.position} resolves unknown pending ${data.pendingId}`);
  }
}

async function applyRecord(tx: EntityManager, record: LedgerRecord): Promise<void> {
  const { event } = record;
  switch (event.type) {
    case 'LedgerTransfersRecorded':
      return insertNew(tx, legRows({ ...record, event }));
    case 'LedgerPendingPosted':
      await insertNew(tx, [resolutionRow({ ...record, event })]);
      return resolvePending(tx, { ...record, event }, 'posted');
    case 'LedgerPendingVoided':
      await insertNew(tx, [resolutionRow({ ...record, event })]);
      return resolvePending(tx, { ...record, event }, 'voided');
    case 'LedgerPendingExpired':
      return resolvePending(tx, { ...record, event }, 'expired');
    case 'LedgerAccountOpened':
    case 'LedgerCreditApplied':
      // A credit delivery copies a transfer already recorded in its source stream: no new row.
      return;
    default: {
      const _exhaustive: never = event;
      throw new Error(`unhandled ledger event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** `ledger_transfers`: one row per transfer id, pending rows moving to posted, voided or expired. Idempotent per event. */
export const ledgerTransfersProjection: Projection = {
  name: LEDGER_TRANSFERS_PROJECTION,
  tables: ['ledger_transfers'],
  async apply(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    for (const record of ledgerRecords(events)) await applyRecord(tx, record);
  },
};
