import { type AuditStreamEntry, auditCheckpointStreamId } from '@smilepay/audit/domain';
import { type EventStore, type RecordedEvent, TamperedEventError } from '@smilepay/shared/eventstore';

/** Events per read of the audit stream. */
const PAGE = 1000;
/**
 * Most audit events held in memory. A checkpoint every 10,000 events gives 100 per million events; this bound
 * allows a billion-event store at that rate and stops a runaway sealer from exhausting memory.
 */
export const MAX_AUDIT_STREAM_EVENTS = 200_000;

export interface AuditStreamRead {
  streamId: string;
  entries: AuditStreamEntry[];
  /** Revision of the last event, for the next append's expected state; undefined for an empty stream. */
  lastRevision: bigint | undefined;
}

/**
 * Reads the whole audit stream. With `tolerateUnreadable` (the verifier), an event the store cannot return becomes
 * an entry marked `unreadable` (its position unknown: -1n) instead of failing the read.
 */
export async function readAuditStream(store: EventStore, ledgerName: string, options: { tolerateUnreadable?: boolean } = {}): Promise<AuditStreamRead> {
  const streamId = auditCheckpointStreamId(ledgerName);
  const entries: AuditStreamEntry[] = [];
  let fromRevision = 0n;
  for (;;) {
    const page = await readPage(store, streamId, fromRevision, options.tolerateUnreadable === true);
    for (const event of page) {
      if ('unreadable' in event) entries.push(event);
      else entries.push({ eventId: event.id, revision: event.revision, position: event.position, type: event.type, data: event.data });
    }
    if (entries.length > MAX_AUDIT_STREAM_EVENTS) {
      throw new Error(`${streamId} holds more than ${MAX_AUDIT_STREAM_EVENTS} events: seal with a larger --every`);
    }
    if (page.length < PAGE) break;
    fromRevision = page[page.length - 1].revision + 1n;
  }
  return { streamId, entries, lastRevision: entries.length === 0 ? undefined : entries[entries.length - 1].revision };
}

type PageItem = RecordedEvent | (AuditStreamEntry & { unreadable: string });

/** A page; when it cannot be read whole, the same range one event at a time, marking the unreadable ones. */
async function readPage(store: EventStore, streamId: string, fromRevision: bigint, tolerate: boolean): Promise<PageItem[]> {
  try {
    return await store.readStream(streamId, { fromRevision, maxCount: PAGE });
  } catch (error) {
    if (!tolerate || !(error instanceof TamperedEventError)) throw error;
  }
  const items: PageItem[] = [];
  for (let revision = fromRevision; revision < fromRevision + BigInt(PAGE); revision++) {
    try {
      const [event] = await store.readStream(streamId, { fromRevision: revision, maxCount: 1 });
      if (event === undefined) break;
      items.push(event);
    } catch (error) {
      if (!(error instanceof TamperedEventError)) throw error;
      items.push({ eventId: '', revision, position: -1n, type: '', data: undefined, unreadable: error.reason });
    }
  }
  return items;
}
