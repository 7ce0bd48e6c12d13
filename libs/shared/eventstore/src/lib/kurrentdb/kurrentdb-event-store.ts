import {
  BACKWARDS,
  END,
  excludeSystemEvents,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { WrongExpectedVersionError } from '../errors';
import type {
  AppendResult,
  BatchHandler,
  EventStore,
  ExpectedState,
  NewEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { checkExpectedState } from '../expected-state';
import {
  EVENT_STORE_LIMITS,
  requireIntegerInRange,
  requirePosition,
  requireRevision,
  resolveSubscribeOptions,
} from '../limits';
import { prepareEvents, requireExpectedState, requireStreamId } from '../prepared-event';
import { chainEvents, describeClientError, redactConnectionString, toRecordedEvent } from './kurrentdb-mapping';
import { KurrentDbSubscription } from './kurrentdb-subscription';

export interface KurrentDbEventStoreOptions {
  /**
   * Attempts for an 'any' or 'stream_exists' append that loses the race between reading the stream head (for the
   * chain's prevHash) and appending at that head. Default 5, at most 50.
   */
  maxAppendAttempts?: number;
}

/** Connection-string schemes the client accepts. `esdb` ones are rewritten (the client warns on stdout for them). */
const SCHEMES = ['kurrentdb', 'kurrentdb+discover', 'kurrent', 'kurrent+discover', 'kdb', 'kdb+discover'];

/**
 * The event store port on KurrentDB (@kurrent/kurrentdb-client 1.x).
 *
 * Hash chain: KurrentDB assigns revisions itself, so to chain an event to its predecessor we read the stream's last
 * event first and then append pinned to exactly that revision. If another writer got in between, the server refuses
 * the append: for a caller who asked for a specific state (no_stream, a revision) that is their conflict; for 'any'
 * and 'stream_exists' we re-read and retry, a bounded number of times.
 *
 * Positions: $all is ordered by (commit, prepare). For KurrentDB's implicit transactions, the only kind the client
 * can write since 20.x, both are equal for every event, so `position` is the commit position alone. The
 * subscription checks that positions strictly increase and stops with an error if a server ever breaks that.
 *
 * System streams and events ('$' prefixes) are filtered out of readAll, headPosition and subscriptions.
 */
export class KurrentDbEventStore implements EventStore {
  private readonly maxAppendAttempts: number;
  private readonly subscriptions = new Set<KurrentDbSubscription>();
  /** The connection string without its password, for error messages. */
  readonly url: string;

  constructor(
    private readonly client: KurrentDBClient,
    url: string,
    options: KurrentDbEventStoreOptions = {},
  ) {
    this.url = redactConnectionString(url);
    this.maxAppendAttempts = options.maxAppendAttempts ?? 5;
    requireIntegerInRange('maxAppendAttempts', this.maxAppendAttempts, 1, 50);
  }

  /** Creates the client from a `kurrentdb://` (or `esdb://`) connection string. Connects lazily, on first use. */
  static fromConnectionString(url: string, options: KurrentDbEventStoreOptions = {}): KurrentDbEventStore {
    const normalized = normalizeConnectionString(url);
    let client: KurrentDBClient;
    try {
      client = KurrentDBClient.connectionString(normalized);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`invalid KurrentDB connection string ${redactConnectionString(url)}: ${why}`, { cause: error });
    }
    return new KurrentDbEventStore(client, url, options);
  }

  async append(streamId: string, events: NewEvent[], options: { expectedState: ExpectedState }): Promise<AppendResult> {
    const expected = options?.expectedState;
    requireExpectedState(expected);
    const prepared = prepareEvents(streamId, events);
    const retryable = expected === 'any' || expected === 'stream_exists';
    for (let attempt = 1; ; attempt++) {
      const head = await this.readHead(streamId);
      checkExpectedState(streamId, expected, head?.revision);
      const eventData = chainEvents(streamId, prepared, head);
      try {
        const streamState = head === undefined ? NO_STREAM : head.revision;
        const result = await this.client.appendToStream(streamId, eventData, { streamState });
        const position = await this.positionOfLastAppended(streamId, prepared.length, result);
        return { nextExpectedRevision: result.nextExpectedRevision, position };
      } catch (error) {
        if (!(error instanceof KurrentWrongExpectedVersionError)) throw this.describe(`append to ${streamId}`, error);
        if (!retryable || attempt >= this.maxAppendAttempts) {
          throw new WrongExpectedVersionError(streamId, expected, error.actualState);
        }
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    requireStreamId(streamId);
    if (options.maxCount !== undefined) requireIntegerInRange('maxCount', options.maxCount, 1, Number.MAX_SAFE_INTEGER);
    if (options.fromRevision !== undefined) requireRevision('fromRevision', options.fromRevision);
    return this.readStreamAs(`read stream ${streamId}`, streamId, options);
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllPage> {
    const after = options?.after ?? -1n;
    requirePosition('after', after);
    const maxCount = options?.maxCount;
    requireIntegerInRange('maxCount', maxCount, 1, EVENT_STORE_LIMITS.maxPageSize);
    // Reads from a position include the event at it, so ask for two more: one to drop, one to detect the end.
    const resolved = this.client.readAll({
      direction: FORWARDS,
      fromPosition: after < 0n ? START : { commit: after, prepare: after },
      maxCount: maxCount + 2,
      filter: excludeSystemEvents(),
    });
    let events: RecordedEvent[];
    try {
      events = (await collect(resolved)).filter((event) => event.position > after);
    } catch (error) {
      throw this.describe('read $all', error);
    }
    const page = events.slice(0, maxCount);
    const lastPosition = page.length > 0 ? page[page.length - 1].position : after;
    return { events: page, lastPosition, isEnd: events.length <= maxCount };
  }

  subscribeToAll(handler: BatchHandler, options?: SubscribeOptions): Subscription {
    const resolved = resolveSubscribeOptions(options);
    const describe = (operation: string, error: unknown) => this.describe(operation, error);
    const subscription = new KurrentDbSubscription(this.client, handler, resolved, describe, (s) =>
      this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    try {
      const resolved = this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        maxCount: 1,
        filter: excludeSystemEvents(),
      });
      const [last] = await collect(resolved);
      return last?.position ?? -1n;
    } catch (error) {
      throw this.describe('read $all head', error);
    }
  }

  /** Stops running subscriptions, then closes the client's connections. */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  /**
   * The port promises the position of the LAST event written. For one event that is the position the server reports.
   * For several, the server reports the write's position, which KurrentDB does not document as the last event's, so
   * we read that event back by its revision (known exactly, since the append was pinned).
   */
  private async positionOfLastAppended(
    streamId: string,
    count: number,
    result: { nextExpectedRevision: bigint; position?: { commit: bigint } },
  ): Promise<bigint> {
    if (result.position === undefined) {
      throw new Error('the server reported no position: KurrentDB 22.6 or newer is required');
    }
    if (count === 1) return result.position.commit;
    const operation = `append to ${streamId} (reading back its position)`;
    const [last] = await this.readStreamAs(operation, streamId, {
      fromRevision: result.nextExpectedRevision,
      maxCount: 1,
    });
    if (last === undefined) {
      throw new Error(`append to ${streamId}: revision ${result.nextExpectedRevision} not readable after write`);
    }
    return last.position;
  }

  /** The stream's last revision and hash, or undefined for a stream with no events. */
  private async readHead(streamId: string): Promise<{ revision: bigint; hash: string } | undefined> {
    const operation = `append to ${streamId} (reading its head)`;
    const [last] = await this.readStreamAs(operation, streamId, { direction: 'backwards', maxCount: 1 });
    return last === undefined ? undefined : { revision: last.revision, hash: last.hash };
  }

  /** Reads a stream; `operation` names what the caller was doing in any error. */
  private async readStreamAs(
    operation: string,
    streamId: string,
    options: ReadStreamOptions,
  ): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const resolved = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
    });
    try {
      return await collect(resolved);
    } catch (error) {
      // Reading a stream that was never written is an empty history, as in the embedded store.
      if (error instanceof StreamNotFoundError) return [];
      throw this.describe(operation, error);
    }
  }

  private describe(operation: string, error: unknown): Error {
    return describeClientError(this.url, operation, error);
  }
}

/** Rewrites the deprecated esdb schemes and refuses anything the client would not accept, naming the choices. */
export function normalizeConnectionString(url: string): string {
  const match = /^([a-z+]+):\/\//i.exec(url.trim());
  const scheme = match?.[1].toLowerCase();
  if (scheme === 'esdb' || scheme === 'esdb+discover') return url.trim().replace(/^esdb/i, 'kurrentdb');
  if (scheme !== undefined && SCHEMES.includes(scheme)) return url.trim();
  throw new Error(
    `unsupported event store URL ${redactConnectionString(url)}: expected ${[...SCHEMES, 'esdb'].map((s) => `${s}://`).join(', ')}`,
  );
}

async function collect(resolved: AsyncIterable<ResolvedEvent | AllStreamResolvedEvent>): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const item of resolved) {
    const event = toRecordedEvent(item.event);
    if (event !== undefined) events.push(event);
  }
  return events;
}
