import { EVENT_STORE_LIMITS, type EventStore, type RecordedEvent, TamperedEventError } from '@smilepay/shared/eventstore';

/** An event the store holds but cannot return: its stored text no longer parses. */
export interface UnreadableEvent {
  position: bigint;
  streamId: string;
  revision: bigint;
  reason: string;
}

export type ScanPage = { kind: 'events'; events: RecordedEvent[] } | { kind: 'unreadable'; events: UnreadableEvent[] };

export interface ScanOptions {
  /** Exclusive start position (-1n: from the beginning). */
  after?: bigint;
  /** Inclusive last position. */
  upTo?: bigint;
  /** Events per read (at most the store's page limit). */
  pageSize?: number;
  /**
   * Report unreadable events as `unreadable` pages and keep going (the verifier), instead of failing (everything
   * that must not silently skip an event: exports, balances).
   */
  tolerateUnreadable?: boolean;
}

/** Most single-position probes spent locating unreadable events after one failed page. */
const MAX_PROBES = 100_000;

/**
 * Reads $all in position order, one bounded page at a time (memory stays flat whatever the store size).
 */
export async function* scanAll(store: EventStore, options: ScanOptions = {}): AsyncGenerator<ScanPage> {
  const pageSize = Math.min(options.pageSize ?? 1000, EVENT_STORE_LIMITS.maxPageSize);
  let after = options.after ?? -1n;
  const upTo = options.upTo;
  for (;;) {
    if (upTo !== undefined && after >= upTo) return;
    let page;
    try {
      page = await store.readAll({ after, maxCount: pageSize });
    } catch (error) {
      if (!(error instanceof TamperedEventError) || !options.tolerateUnreadable) throw describeUnreadable(error);
      const located = await readAroundUnreadable(store, after, pageSize);
      const inRange = <E extends { position: bigint }>(events: E[]) => (upTo === undefined ? events : events.filter((e) => e.position <= upTo));
      const readable = inRange(located.readable);
      const unreadable = inRange(located.unreadable);
      if (readable.length > 0) yield { kind: 'events', events: readable };
      if (unreadable.length > 0) yield { kind: 'unreadable', events: unreadable };
      if (located.isEnd) return;
      after = located.resumeAfter;
      continue;
    }
    const events = upTo === undefined ? page.events : page.events.filter((event) => event.position <= upTo);
    if (events.length > 0) yield { kind: 'events', events };
    if (page.isEnd || events.length < page.events.length) return;
    after = page.lastPosition;
  }
}

/**
 * A page failed: read it again one event at a time up to the first unreadable event, then locate the unreadable
 * run using only the port. A read after x fails exactly when the first event after x is unreadable, so the last x
 * whose read fails with a given event's error is that event's position minus one. Probing stops at the first read
 * that succeeds, and reading resumes there.
 */
async function readAroundUnreadable(
  store: EventStore,
  after: bigint,
  pageSize: number,
): Promise<{ readable: RecordedEvent[]; unreadable: UnreadableEvent[]; resumeAfter: bigint; isEnd: boolean }> {
  const readable: RecordedEvent[] = [];
  let x = after;
  while (readable.length < pageSize) {
    let page;
    try {
      page = await store.readAll({ after: x, maxCount: 1 });
    } catch (error) {
      if (!(error instanceof TamperedEventError)) throw error;
      const located = await locateUnreadable(store, x);
      return { readable, ...located, isEnd: false };
    }
    if (page.events.length === 0) return { readable, unreadable: [], resumeAfter: x, isEnd: true };
    readable.push(page.events[0]);
    x = page.events[0].position;
  }
  return { readable, unreadable: [], resumeAfter: x, isEnd: false };
}

/** Called when the read after `after` fails: walks x = after, after+1, … until a read succeeds. */
async function locateUnreadable(store: EventStore, after: bigint): Promise<{ unreadable: UnreadableEvent[]; resumeAfter: bigint }> {
  const lastFailure = new Map<string, { error: TamperedEventError; x: bigint }>();
  for (let x = after, probes = 0; probes < MAX_PROBES; x += 1n, probes++) {
    try {
      await store.readAll({ after: x, maxCount: 1 });
    } catch (error) {
      if (!(error instanceof TamperedEventError)) throw error;
      lastFailure.set(`${error.streamId}\u0000${error.revision}`, { error, x });
      continue;
    }
    const unreadable = [...lastFailure.values()].map(({ error, x: failedAfter }) => ({
      position: failedAfter + 1n,
      streamId: error.streamId,
      revision: error.revision,
      reason: error.reason,
    }));
    return { unreadable: unreadable.sort((a, b) => (a.position < b.position ? -1 : 1)), resumeAfter: x };
  }
  throw new Error(`more than ${MAX_PROBES} unreadable positions after ${after}: the store is badly damaged`);
}

function describeUnreadable(error: unknown): unknown {
  if (!(error instanceof TamperedEventError)) return error;
  return new Error(
    `event ${error.revision} of stream ${error.streamId} cannot be read (${error.reason}): the store was altered; ` +
      'run `audit verify` for a full report',
    { cause: error },
  );
}
