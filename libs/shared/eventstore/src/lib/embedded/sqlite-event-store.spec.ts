import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../errors';
import { describeEventStoreContract, events, freshStream, newEvent, sleep, waitFor } from '../event-store.contract';
import type { RecordedEvent } from '../event-store.port';
import { openSqliteEventStore, SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'smilepay-eventstore-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tempFile = () => join(dir, `${randomUUID()}.sqlite`);

describeEventStoreContract('SqliteEventStore (temp file)', () => new SqliteEventStore(tempFile()));

describe('SqliteEventStore', () => {
  let file: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    file = tempFile();
    store = new SqliteEventStore(file);
  });
  afterEach(() => store.close());

  describe('file', () => {
    it('runs in WAL mode with synchronous=NORMAL and the current schema', () => {
      const raw = new Database(file, { readonly: true });
      try {
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(raw.pragma('user_version', { simple: true })).toBe(2);
        const columns = (raw.pragma('table_info(events)') as { name: string }[]).map((column) => column.name);
        expect(columns).toEqual([
          'position',
          'stream_key',
          'stream_id',
          'revision',
          'id',
          'type',
          'data',
          'metadata',
          'recorded_at',
          'prev_hash',
          'hash',
        ]);
      } finally {
        raw.close();
      }
      // synchronous is a per-connection setting, so it is read through the store's own connection.
      expect(store.fileInfo()).toEqual({ filename: file, journalMode: 'wal', synchronous: 'normal', schemaVersion: 2 });
    });

    it('keeps events across reopening, and positions keep growing', async () => {
      const stream = freshStream();
      const first = await store.append(stream, events(2), { expectedState: 'no_stream' });
      await store.close();
      store = new SqliteEventStore(file);
      expect((await store.readStream(stream)).map((event) => event.data)).toEqual([{ n: 0 }, { n: 1 }]);
      const second = await store.append(stream, events(1, 2), { expectedState: 1n });
      expect(second.position).toBeGreaterThan(first.position);
      expect(await store.verifyAll()).toMatchObject({ ok: true, streamsChecked: 1, eventsChecked: 3 });
    });

    it('refuses a file written by a newer schema', async () => {
      await store.close();
      const raw = new Database(file);
      raw.pragma('user_version = 99');
      raw.close();
      expect(() => new SqliteEventStore(file)).toThrow(/schema version 99 is newer/);
      store = new SqliteEventStore(':memory:');
    });

    it('creates the directory of a new file', async () => {
      const nested = join(dir, randomUUID(), 'a', 'events.sqlite');
      const opened = openSqliteEventStore(nested);
      await opened.append(freshStream(), events(1), { expectedState: 'any' });
      await opened.close();
      const raw = new Database(nested, { readonly: true });
      expect(raw.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
      raw.close();
    });

    it('reports -1 as the head of an empty store, and refuses use after close', async () => {
      expect(await store.headPosition()).toBe(-1n);
      await store.close();
      await expect(store.headPosition()).rejects.toThrow(/closed/);
      await store.close();
      store = new SqliteEventStore(':memory:');
    });
  });

  describe('appendMany', () => {
    it('writes several streams in one transaction', async () => {
      const [a, b] = [freshStream(), freshStream()];
      const results = await store.appendMany([
        { streamId: a, events: events(2), expectedState: 'no_stream' },
        { streamId: b, events: events(1), expectedState: 'no_stream' },
        { streamId: a, events: events(1, 2), expectedState: 1n },
      ]);
      expect(results.map((result) => result.nextExpectedRevision)).toEqual([1n, 0n, 2n]);
      expect(results[2].position).toBeGreaterThan(results[1].position);
      expect((await store.readStream(a)).map((event) => event.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
      expect((await store.verifyAll()).ok).toBe(true);
    });

    it('writes nothing when any request fails its expected state', async () => {
      const [a, b] = [freshStream(), freshStream()];
      await store.append(b, events(1), { expectedState: 'no_stream' });
      const attempt = store.appendMany([
        { streamId: a, events: events(3), expectedState: 'no_stream' },
        { streamId: b, events: events(1), expectedState: 'no_stream' },
      ]);
      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(await store.readStream(a)).toEqual([]);
      expect(await store.readStream(b)).toHaveLength(1);
    });

    it('refuses an empty batch and more events than one transaction may hold', async () => {
      await expect(store.appendMany([])).rejects.toThrow(RangeError);
      const big = Array.from({ length: 11 }, () => ({
        streamId: freshStream(),
        events: events(10_000),
        expectedState: 'any' as const,
      }));
      await expect(store.appendMany(big)).rejects.toThrow(/110000 events in one transaction, limit 100000/);
      await expect(store.append(freshStream(), events(10_001), { expectedState: 'any' })).rejects.toThrow(
        /limit 10000/,
      );
    });
  });

  describe('event ids', () => {
    it('refuses an id that is already stored, naming it, and writes nothing', async () => {
      const id = randomUUID();
      const [a, b] = [freshStream(), freshStream()];
      await store.append(a, [{ ...newEvent(0), id }], { expectedState: 'no_stream' });
      const attempt = store.append(b, [newEvent(1), { ...newEvent(2), id }], { expectedState: 'no_stream' });
      await expect(attempt).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(attempt).rejects.toThrow(id);
      expect(await store.readStream(b)).toEqual([]);
    });

    it('refuses ids that are not uuids and ids repeated in one append', async () => {
      const stream = freshStream();
      await expect(
        store.append(stream, [{ ...newEvent(0), id: 'not-a-uuid' }], { expectedState: 'any' }),
      ).rejects.toThrow(/uuid/);
      const id = randomUUID();
      await expect(
        store.append(
          stream,
          [
            { ...newEvent(0), id },
            { ...newEvent(1), id },
          ],
          { expectedState: 'any' },
        ),
      ).rejects.toThrow(/repeated/);
    });
  });

  describe('two stores on one file (two processes)', () => {
    it('serialises writers: exactly one of two racing appends wins', async () => {
      const other = new SqliteEventStore(file);
      try {
        const stream = freshStream();
        await store.append(stream, events(1), { expectedState: 'no_stream' });
        const outcomes = await Promise.allSettled([
          store.append(stream, events(1, 1), { expectedState: 0n }),
          other.append(stream, events(1, 2), { expectedState: 0n }),
        ]);
        expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
        expect(await other.readStream(stream)).toHaveLength(2);
      } finally {
        await other.close();
      }
    });

    it('delivers another connection’s appends live through polling', async () => {
      const other = new SqliteEventStore(file);
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll(async (batch) => void received.push(...batch), { pollIntervalMs: 10 });
      try {
        await other.append(freshStream(), events(3), { expectedState: 'no_stream' });
        await waitFor('events from the other connection', () => received.length === 3);
      } finally {
        await subscription.stop();
        await other.close();
      }
    });
  });

  describe('subscriptions', () => {
    it('delivers catch-up pages of exactly batchSize until the tail', async () => {
      await store.append(freshStream(), events(10), { expectedState: 'no_stream' });
      const sizes: number[] = [];
      const subscription = store.subscribeToAll(async (batch) => void sizes.push(batch.length), { batchSize: 4 });
      await waitFor('ten events', () => sizes.reduce((a, b) => a + b, 0) === 10);
      await subscription.stop();
      expect(sizes).toEqual([4, 4, 2]);
    });

    it('close() stops running subscriptions and resolves their done', async () => {
      const subscription = store.subscribeToAll(async () => undefined, { pollIntervalMs: 1_000 });
      await sleep(20);
      const started = Date.now();
      await store.close();
      await expect(subscription.done).resolves.toBeUndefined();
      expect(Date.now() - started).toBeLessThan(500);
      store = new SqliteEventStore(':memory:');
    });

    it('refuses out-of-range options', () => {
      expect(() => store.subscribeToAll(async () => undefined, { batchSize: 0 })).toThrow(/batchSize/);
      expect(() => store.subscribeToAll(async () => undefined, { pollIntervalMs: 0 })).toThrow(/pollIntervalMs/);
      expect(() => store.subscribeToAll(async () => undefined, { after: -2n })).toThrow(/after/);
    });
  });

  describe('throughput', () => {
    // Measured in CPU time of this process, not wall time: the suite shares 2 cores with other jobs, and wall-clock
    // floors flake under load. The floors are a fifth of what an idle machine does; they catch a regression such as
    // re-preparing statements or re-encoding JSON per event. Durability settings are checked in 'file' above.
    async function eventsPerCpuSecond(count: number, work: () => Promise<unknown>): Promise<number> {
      const before = process.cpuUsage();
      await work();
      const used = process.cpuUsage(before);
      return count / ((used.user + used.system) / 1e6);
    }

    it('appends single events, one transaction each, at thousands per second', async () => {
      const streams = Array.from({ length: 2_000 }, () => freshStream());
      const rate = await eventsPerCpuSecond(streams.length, async () => {
        for (const stream of streams) await store.append(stream, [newEvent(0)], { expectedState: 'no_stream' });
      });
      expect(rate).toBeGreaterThan(1_000);
    });

    it('appends batched events at tens of thousands per second', async () => {
      const batch = Array.from({ length: 500 }, () => ({
        streamId: freshStream(),
        events: events(10),
        expectedState: 'no_stream' as const,
      }));
      const rate = await eventsPerCpuSecond(5_000, () => store.appendMany(batch));
      expect(rate).toBeGreaterThan(5_000);
    });
  });
});
