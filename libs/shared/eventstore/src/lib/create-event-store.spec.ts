import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore, EVENTS_FILE_NAME } from './create-event-store';
import { SqliteEventStore } from './embedded/sqlite-event-store';
import { freshStream, events } from './event-store.contract';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';

const dir = mkdtempSync(join(tmpdir(), 'smilepay-create-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createEventStore', () => {
  it('without a URL opens <dataDir>/events.sqlite, creating the directory', async () => {
    const dataDir = join(dir, randomUUID(), 'data');
    const store = createEventStore({ dataDir });
    try {
      expect(store).toBeInstanceOf(SqliteEventStore);
      const stream = freshStream();
      await store.append(stream, events(1), { expectedState: 'no_stream' });
      expect(await store.readStream(stream)).toHaveLength(1);
      expect(existsSync(join(dataDir, EVENTS_FILE_NAME))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('treats an empty or blank URL as unset', async () => {
    for (const eventstoreUrl of ['', '   ']) {
      const store = createEventStore({ eventstoreUrl, dataDir: join(dir, randomUUID()) });
      expect(store).toBeInstanceOf(SqliteEventStore);
      await store.close();
    }
  });

  it.each(['kurrentdb://127.0.0.1:2113?tls=false', 'esdb://127.0.0.1:2113?tls=false'])(
    'with %s selects KurrentDB (connecting lazily)',
    async (eventstoreUrl) => {
      const store = createEventStore({ eventstoreUrl, dataDir: join(dir, randomUUID()) });
      expect(store).toBeInstanceOf(KurrentDbEventStore);
      await store.close();
    },
  );

  it('refuses a URL of another kind instead of silently using the embedded file', () => {
    expect(() => createEventStore({ eventstoreUrl: 'postgres://root@127.0.0.1:5432/test', dataDir: dir })).toThrow(
      /unsupported event store URL postgres:\/\/root@127\.0\.0\.1:5432\/test: expected kurrentdb:\/\//,
    );
  });

  it('needs a data directory for the embedded store', () => {
    expect(() => createEventStore({ dataDir: '' })).toThrow(/dataDir is required/);
  });
});
