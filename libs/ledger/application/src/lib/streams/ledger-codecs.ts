import { LEDGER_EVENT_TYPES, type LedgerEvent, type TransferIdClaimed } from '@smilepay/ledger/domain';
import type { EventCodec, RecordedEvent } from '@smilepay/shared/eventstore';

/**
 * Ledger events are stored as their own `{ type, data }`: the domain types are already JSON-safe, so encoding is
 * the identity. Decoding is where upcasters will go when a `.v2` type appears (STYLE.md §4).
 */
export const ledgerEventCodec: EventCodec<LedgerEvent> = {
  encode: (event) => ({ type: event.type, data: event.data }),
  decode: (record) => decodeLedgerEvent(record),
};

export function decodeLedgerEvent(record: Pick<RecordedEvent, 'type' | 'data'>): LedgerEvent | undefined {
  return (LEDGER_EVENT_TYPES as readonly string[]).includes(record.type)
    ? ({ type: record.type, data: record.data } as LedgerEvent)
    : undefined;
}

export const transferIdCodec: EventCodec<TransferIdClaimed> = {
  encode: (event) => ({ type: event.type, data: event.data }),
  decode: (record) =>
    record.type === 'TransferIdClaimed' ? ({ type: record.type, data: record.data } as TransferIdClaimed) : undefined,
};
