import { CHECKOUT_EVENT_TYPES, type CheckoutEvent } from '@smilepay/checkout/domain';
import type { RecordedEvent } from '@smilepay/shared/eventstore';

/** A checkout event with where and when the store recorded it. */
export interface CheckoutRecord {
  event: CheckoutEvent;
  streamId: string;
  position: bigint;
  recordedAt: Date;
}

const CHECKOUT_TYPES: ReadonlySet<string> = new Set(CHECKOUT_EVENT_TYPES);
export const CHECKOUT_STREAM_PREFIX = 'checkout-';

/**
 * Picks the checkout events out of a `$all` batch. The store only holds events the deciders produced, so their shape
 * is trusted; the stream prefix is checked too so another category reusing a type name is never mistaken for one.
 */
export function checkoutRecords(events: readonly RecordedEvent[]): CheckoutRecord[] {
  const records: CheckoutRecord[] = [];
  for (const record of events) {
    if (!CHECKOUT_TYPES.has(record.type) || !record.streamId.startsWith(CHECKOUT_STREAM_PREFIX)) continue;
    const event = { type: record.type, data: record.data } as CheckoutEvent;
    records.push({ event, streamId: record.streamId, position: record.position, recordedAt: new Date(record.recordedAt) });
  }
  return records;
}

/** The checkout ids a batch touches, in the order first touched. */
export function checkoutIdsOf(events: readonly RecordedEvent[]): string[] {
  return [...new Set(checkoutRecords(events).map((r) => r.event.data.checkoutId))];
}
