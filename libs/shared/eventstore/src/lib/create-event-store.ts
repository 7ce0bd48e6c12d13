import { join } from 'node:path';
import { openSqliteEventStore } from './embedded/sqlite-event-store';
import type { EventStore } from './event-store.port';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';

export interface CreateEventStoreOptions {
  /** `EVENTSTORE_URL`: a `kurrentdb://` or `esdb://` connection string selects KurrentDB. Empty means unset. */
  eventstoreUrl?: string;
  /** Directory of the embedded store's file (`<dataDir>/events.sqlite`), created if missing. */
  dataDir: string;
}

/** The embedded store's file name inside the data directory (docs/ARCHITECTURE.md). */
export const EVENTS_FILE_NAME = 'events.sqlite';

/**
 * Picks the adapter from configuration: KurrentDB when a URL is given, else the embedded SQLite file.
 * Any other URL scheme (a Postgres URL pasted into the wrong variable, say) stops startup with a message listing the
 * accepted schemes rather than silently falling back to the embedded file.
 */
export function createEventStore(options: CreateEventStoreOptions): EventStore {
  const url = options.eventstoreUrl?.trim();
  if (url) return KurrentDbEventStore.fromConnectionString(url);
  if (typeof options.dataDir !== 'string' || options.dataDir.trim() === '') {
    throw new TypeError('createEventStore: dataDir is required when no event store URL is set');
  }
  return openSqliteEventStore(join(options.dataDir, EVENTS_FILE_NAME));
}
