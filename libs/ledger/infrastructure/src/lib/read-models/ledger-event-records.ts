import { LEDGER_EVENT_TYPES, type LedgerEvent } from '@smilepay/ledger/domain';
import type { RecordedEvent } from '@smilepay/shared/eventstore';

/** A ledger event with where it sits in the store. */
export interface LedgerRecord {
  event: LedgerEvent;
  streamId: string;
  position: bigint;
}

const LEDGER_TYPES: ReadonlySet<string> = new Set(LEDGER_EVENT_TYPES);

/**
 * Picks the ledger events out of a `$all` batch. The store only holds events the deciders produced, so the shape is
 * trusted here; amounts are still parsed strictly where they are used, so a malformed one fails loudly.
 */
export function ledgerRecords(events: RecordedEvent[]): LedgerRecord[] {
  const records: LedgerRecord[] = [];
  for (const record of events) {
    if (!LEDGER_TYPES.has(record.type)) continue;
    const event = { type: record.type, data: record.data } as LedgerEvent;
    records.push({ event, streamId: record.streamId, position: record.position });
  }
  return records;
}
