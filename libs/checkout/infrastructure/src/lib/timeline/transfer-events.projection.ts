import { LEDGER_EVENT_TYPES, type LedgerEvent, type TransferIdClaimed } from '@smilepay/ledger/domain';
import type { RecordedEvent } from '@smilepay/shared/eventstore';
import type { Projection } from '@smilepay/shared/projections';
import type { EntityManager } from 'typeorm';
import { TransferEventEntity } from './transfer-event.entity';

export const TRANSFER_EVENTS_PROJECTION = 'transfer_events';

const INSERT_CHUNK = 100;
const LEDGER_TYPES: ReadonlySet<string> = new Set([...LEDGER_EVENT_TYPES, 'TransferIdClaimed']);

type Keyed = { transferId: string; relatedId: string | null };

/** The transfer ids an event is about. A post or void is filed under its pending transfer and under its own id. */
function keysOf(event: LedgerEvent | TransferIdClaimed): Keyed[] {
  const key = (transferId: string, relatedId: string | null = null): Keyed => ({ transferId, relatedId });
  switch (event.type) {
    case 'TransferIdClaimed':
      return [key(event.data.transferId)];
    case 'LedgerTransfersRecorded':
      return event.data.transfers.map((leg) => key(leg.id));
    case 'LedgerPendingPosted':
    case 'LedgerPendingVoided':
      return [key(event.data.pendingId, event.data.id), key(event.data.id)];
    case 'LedgerPendingExpired':
      return [key(event.data.pendingId)];
    case 'LedgerCreditApplied':
      return event.data.pendingId === undefined
        ? [key(event.data.transferId)]
        : [key(event.data.transferId), key(event.data.pendingId, event.data.transferId)];
    case 'LedgerAccountOpened':
      return [];
    default: {
      const _exhaustive: never = event;
      throw new Error(`transfer_events: unhandled ledger event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function rowsOf(record: RecordedEvent): TransferEventEntity[] {
  const event = { type: record.type, data: record.data } as LedgerEvent | TransferIdClaimed;
  return keysOf(event).map(({ transferId, relatedId }) =>
    Object.assign(new TransferEventEntity(), {
      transferId,
      position: record.position,
      streamId: record.streamId,
      revision: record.revision,
      type: record.type,
      relatedId,
    } satisfies TransferEventEntity),
  );
}

/**
 * `transfer_events`: (transfer id, position) → where the event is. Keyed by the event's position, so inserting an
 * event again hits the primary key and is ignored: re-delivery changes nothing.
 */
export const transferEventsProjection: Projection = {
  name: TRANSFER_EVENTS_PROJECTION,
  tables: ['transfer_events'],
  async apply(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    const rows = events.filter((r) => LEDGER_TYPES.has(r.type) && r.streamId.startsWith('ledger_')).flatMap(rowsOf);
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await tx.createQueryBuilder().insert().into(TransferEventEntity).values(rows.slice(i, i + INSERT_CHUNK)).orIgnore().execute();
    }
  },
};
