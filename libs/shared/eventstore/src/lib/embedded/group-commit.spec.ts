import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../errors';
import { events, freshStream, newEvent } from '../event-store.contract';
import { verifyStreamChain } from '../hash-chain';
import { SqliteEventStore } from './sqlite-event-store';

// Group commit: the appends of one event-loop turn share a transaction, yet each succeeds or fails on its own.
describe('SqliteEventStore group commit', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore(':memory:');
  });
  afterEach(() => store.close());

  it('writes the appends of one turn in one transaction, in call order', async () => {
    const streams = [freshStream(), freshStream(), freshStream()];
    const transactions = jest.spyOn(store as unknown as { commitGroup: () => unknown }, 'commitGroup');
    const results = await Promise.all(streams.map((s, i) => store.append(s, [newEvent(i)], { expectedState: 'no_stream' })));
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.position)).toEqual([results[0].position, results[0].position + 1n, results[0].position + 2n]);
  });

  it('fails only the append whose expectation does not hold; the others commit', async () => {
    const taken = freshStream();
    await store.append(taken, events(1), { expectedState: 'no_stream' });
    const fresh = freshStream();
    const outcomes = await Promise.allSettled([
      store.append(fresh, events(1), { expectedState: 'no_stream' }),
      store.append(taken, events(1, 1), { expectedState: 'no_stream' }),
      store.append(taken, events(1, 2), { expectedState: 0n }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(await store.readStream(fresh)).toHaveLength(1);
    expect((await store.readStream(taken)).map((e) => e.revision)).toEqual([0n, 1n]);
  });

  it('lets two appends to one stream in one turn race: the second sees the first and fails alone', async () => {
    const stream = freshStream();
    const outcomes = await Promise.allSettled([
      store.append(stream, events(1), { expectedState: 'no_stream' }),
      store.append(stream, events(1, 1), { expectedState: 'no_stream' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    const stored = await store.readStream(stream);
    expect(stored).toHaveLength(1);
    expect(verifyStreamChain(stored).ok).toBe(true);
  });

  it('rolls back a half-written append (a duplicate event id in its second event) and keeps the rest', async () => {
    const [first, second] = [freshStream(), freshStream()];
    const reused = { ...newEvent(7), id: randomUUID() };
    await store.append(first, [reused], { expectedState: 'no_stream' });
    const outcomes = await Promise.allSettled([
      store.append(second, [newEvent(1), { ...reused }], { expectedState: 'no_stream' }),
      store.append(first, events(1, 1), { expectedState: 0n }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    expect(await store.readStream(second)).toEqual([]);
    expect(await store.readStream(first)).toHaveLength(2);
  });

  it('fails a one-event append with a stored id alone, with nothing of it written (no savepoint needed)', async () => {
    const [taken, fresh, neighbour] = [freshStream(), freshStream(), freshStream()];
    const reused = { ...newEvent(7), id: randomUUID() };
    await store.append(taken, [reused], { expectedState: 'no_stream' });
    const outcomes = await Promise.allSettled([
      store.append(fresh, [{ ...reused }], { expectedState: 'no_stream' }),
      store.append(neighbour, events(1), { expectedState: 'no_stream' }),
      store.append(taken, [{ ...reused }], { expectedState: 0n }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    // The refused new stream got no head: it can still be created from scratch, and every chain is intact.
    expect(await store.readStream(fresh)).toEqual([]);
    await store.append(fresh, events(1), { expectedState: 'no_stream' });
    await store.append(taken, events(1, 1), { expectedState: 0n });
    expect(await store.verifyAll()).toMatchObject({ ok: true, streamsChecked: 3, eventsChecked: 4 });
  });

  it('rolls back the whole group when an append fails after its event was written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smilepay-group-'));
    const file = join(dir, 'events.sqlite');
    const onFile = new SqliteEventStore(file);
    const raw = new Database(file);
    try {
      // A real SQLite failure while the head row is written, after the event row went in.
      raw.exec(`CREATE TRIGGER refuse_head BEFORE INSERT ON streams WHEN NEW.stream_id LIKE 'refused-%'
                BEGIN SELECT RAISE(ABORT, 'head refused'); END`);
      const [before, after] = [freshStream(), freshStream()];
      const outcomes = await Promise.allSettled([
        onFile.append(before, events(1), { expectedState: 'no_stream' }),
        onFile.append(`refused-${randomUUID()}`, events(1), { expectedState: 'no_stream' }),
        onFile.append(after, events(1), { expectedState: 'no_stream' }),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/head refused/);
      expect(await onFile.headPosition()).toBe(-1n);
      await onFile.append(before, events(1), { expectedState: 'no_stream' });
      expect(await onFile.verifyAll()).toMatchObject({ ok: true, streamsChecked: 1, eventsChecked: 1 });
    } finally {
      raw.close();
      await onFile.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets a read see an append submitted before it, even one not yet awaited', async () => {
    const stream = freshStream();
    const appended = store.append(stream, events(2), { expectedState: 'no_stream' });
    expect(await store.readStream(stream)).toHaveLength(2);
    expect(await store.headPosition()).toBe((await appended).position);
  });

  it('writes the accepted appends when the store closes', async () => {
    const stream = freshStream();
    const appended = store.append(stream, events(1), { expectedState: 'no_stream' });
    await store.close();
    await expect(appended).resolves.toMatchObject({ nextExpectedRevision: 0n });
  });

  it('can be switched off: every append is then its own transaction', async () => {
    const single = new SqliteEventStore(':memory:', { groupCommit: false });
    try {
      const transactions = jest.spyOn(single as unknown as { commitGroup: () => unknown }, 'commitGroup');
      await Promise.all([freshStream(), freshStream()].map((s) => single.append(s, events(1), { expectedState: 'no_stream' })));
      expect(transactions).not.toHaveBeenCalled();
      expect(await single.headPosition()).toBe(2n);
    } finally {
      await single.close();
    }
  });
});
