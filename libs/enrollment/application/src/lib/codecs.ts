import type { EventCodec } from '@smilepay/shared/eventstore';
import {
  CUSTOMER_EVENT_TYPES,
  TERMINAL_EVENT_TYPES,
  type CustomerEvent,
  type TerminalEvent,
} from '@smilepay/enrollment/domain';

/**
 * Events are `{ type, data }` in the domain and in the store alike, so the codec only filters unknown types (skipped
 * on fold, e.g. a newer event written by a newer release). Upcasters go here when a shape changes (STYLE.md §4).
 */
export function typedCodec<Event extends { type: string; data: unknown }>(
  types: readonly Event['type'][],
): EventCodec<Event> {
  const known = new Set<string>(types);
  return {
    encode: (event) => ({ type: event.type, data: event.data }),
    decode: (record) => (known.has(record.type) ? ({ type: record.type, data: record.data } as Event) : undefined),
  };
}

export const customerEventCodec = typedCodec<CustomerEvent>(CUSTOMER_EVENT_TYPES);
export const terminalEventCodec = typedCodec<TerminalEvent>(TERMINAL_EVENT_TYPES);
