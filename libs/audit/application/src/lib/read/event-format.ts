import type { RecordedEvent } from '@smilepay/shared/eventstore';

/** One event as a JSON-safe record (bigints as decimal strings): one NDJSON line of an export. */
export interface EventRecord {
  position: string;
  streamId: string;
  revision: string;
  id: string;
  type: string;
  recordedAt: string;
  data: unknown;
  metadata: unknown;
  prevHash: string;
  hash: string;
}

export function toEventRecord(event: RecordedEvent): EventRecord {
  return {
    position: event.position.toString(),
    streamId: event.streamId,
    revision: event.revision.toString(),
    id: event.id,
    type: event.type,
    recordedAt: event.recordedAt,
    data: event.data,
    metadata: event.metadata,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

export function toNdjsonLine(event: RecordedEvent): string {
  return `${JSON.stringify(toEventRecord(event))}\n`;
}

/** Most characters of data shown per event in human-readable output; NDJSON is never cut. */
const MAX_DATA_CHARS = 2000;

/** Two or three lines per event for people: where it is, what it is, who caused it, its content. */
export function formatEventForHumans(event: RecordedEvent): string {
  const metadata = event.metadata as Partial<Record<'actor' | 'correlationId' | 'causationId', string>>;
  const data = JSON.stringify(event.data);
  const shown = data.length > MAX_DATA_CHARS ? `${data.slice(0, MAX_DATA_CHARS)}… (${data.length} chars)` : data;
  return (
    `#${event.position}  ${event.recordedAt}  ${event.streamId}@${event.revision}  ${event.type}\n` +
    `    id ${event.id}  actor ${metadata.actor ?? '?'}  correlation ${metadata.correlationId ?? '?'}  hash ${event.hash.slice(0, 16)}…\n` +
    `    ${shown}\n`
  );
}
