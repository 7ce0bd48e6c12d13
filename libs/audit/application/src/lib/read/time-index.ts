import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';

/**
 * Positions from times, by binary search over $all: O(log n) single-event reads. It relies on `recordedAt` never
 * decreasing along $all, which holds for one writer process (the store stamps each append); with several writers,
 * clock skew between them can misplace events at the boundary by that skew.
 */
export async function lastPositionWhere(store: EventStore, holds: (event: RecordedEvent) => boolean): Promise<bigint> {
  // Invariant: every event at a position <= lo holds; every event at a position >= hi does not.
  let lo = -1n;
  let hi = (await store.headPosition()) + 1n;
  while (lo + 1n < hi) {
    const mid = (lo + hi) / 2n;
    const [event] = (await store.readAll({ after: mid - 1n, maxCount: 1 })).events;
    if (event === undefined || event.position >= hi) hi = mid;
    else if (holds(event)) lo = event.position;
    else hi = event.position;
  }
  return lo;
}

/** Position of the last event recorded at or before `time`; -1n if none. */
export function lastPositionAtOrBefore(store: EventStore, time: Date): Promise<bigint> {
  const limit = time.getTime();
  return lastPositionWhere(store, (event) => Date.parse(event.recordedAt) <= limit);
}

/** Position of the last event recorded strictly before `time`; -1n if none. */
export function lastPositionBefore(store: EventStore, time: Date): Promise<bigint> {
  const limit = time.getTime();
  return lastPositionWhere(store, (event) => Date.parse(event.recordedAt) < limit);
}

/** Parses an ISO-8601 time given on a command line; refuses anything Date would guess at. */
export function parseTime(text: string, name: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/.test(text)) {
    throw new RangeError(`${name} must be an ISO-8601 time such as 2025-03-01T10:00:00Z, got ${JSON.stringify(text)}`);
  }
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new RangeError(`${name}: ${JSON.stringify(text)} is not a valid time`);
  return time;
}

/** Parses a store position given on a command line. */
export function parsePosition(text: string, name: string): bigint {
  if (!/^(?:0|[1-9][0-9]{0,19})$/.test(text)) throw new RangeError(`${name} must be a non-negative integer position, got ${JSON.stringify(text)}`);
  return BigInt(text);
}
