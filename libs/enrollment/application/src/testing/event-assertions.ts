import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';

/** Every event in the store, in order (test stores are small; bounded anyway). */
export async function allEvents(store: EventStore, max = 10_000): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after = -1n;
  while (events.length < max) {
    const page = await store.readAll({ after, maxCount: 500 });
    events.push(...page.events);
    if (page.isEnd || page.events.length === 0) break;
    after = page.lastPosition;
  }
  return events;
}

/**
 * Finds anything in event payloads that could be biometric: arrays of more than `maxNumbers` numbers, typed-array
 * shapes, or base64 blobs long enough to hold an embedding. Returns the offending paths.
 */
export function biometricLookingPaths(events: readonly RecordedEvent[], maxNumbers = 8): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      if (value.filter((v) => typeof v === 'number').length > maxNumbers) found.push(path);
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      if (entries.length > maxNumbers && entries.every(([k, v]) => /^\d+$/.test(k) && typeof v === 'number'))
        found.push(path);
      for (const [k, v] of entries) visit(v, `${path}.${k}`);
    } else if (typeof value === 'string' && value.length >= 512 && /^[A-Za-z0-9+/=]+$/.test(value)) {
      found.push(path);
    }
  };
  for (const event of events) visit(event.data, `${event.streamId}#${event.revision}:${event.type}`);
  return found;
}
