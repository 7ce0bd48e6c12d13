import {
  DeadlineExceededError,
  jsonEvent,
  UnavailableError,
  type EventData,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import { isPlainObject } from '../canonical-json';
import { EventStoreUnavailableError, TamperedEventError } from '../errors';
import type { EventMetadata, RecordedEvent } from '../event-store.port';
import { computeEventHashFromCanonical } from '../hash-chain';
import type { PreparedEvent } from '../prepared-event';

/**
 * How our events sit in KurrentDB: data as JSON, and metadata = our EventMetadata plus KurrentDB's own correlation
 * keys (so its $by_correlation_id projection works) plus the chain fields `prevHash` and `hash`. Reading strips the
 * added keys again, so the metadata handed back is exactly what was hashed.
 */
export interface StoredKurrentMetadata extends EventMetadata {
  $correlationId: string;
  $causationId: string;
  prevHash: string;
  hash: string;
}

/** Assigns revisions from the stream head and chains the hashes, as the embedded store does inside its transaction. */
export function chainEvents(
  streamId: string,
  events: readonly PreparedEvent[],
  head: { revision: bigint; hash: string } | undefined,
): EventData[] {
  let revision = head?.revision ?? -1n;
  let prevHash = head?.hash ?? '';
  return events.map((event) => {
    revision += 1n;
    const { type, dataJson, metadataJson } = event;
    const hash = computeEventHashFromCanonical({ streamId, revision, type, dataJson, metadataJson, prevHash });
    const metadata: StoredKurrentMetadata = {
      ...event.metadata,
      $correlationId: event.metadata.correlationId,
      $causationId: event.metadata.causationId,
      prevHash,
      hash,
    };
    prevHash = hash;
    return jsonEvent({ id: event.id, type, data: event.data as Record<string, unknown>, metadata });
  });
}

/** KurrentDB's own streams and events ('$' prefixes: $streams, $stats-…, $> links, $metadata) are not ours. */
export function isSystemEvent(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$');
}

/** Converts a KurrentDB record to ours; undefined for system events. Throws for records smilepay did not write. */
export function toRecordedEvent(event: KurrentRecordedEvent | undefined): RecordedEvent | undefined {
  if (event === undefined || isSystemEvent(event.streamId, event.type)) return undefined;
  const foreign = (why: string) =>
    new TamperedEventError(event.streamId, event.revision, `${why}: not written by smilepay`);
  if (!event.isJson || !isPlainObject(event.data)) throw foreign('data is not a JSON object');
  if (!isPlainObject(event.metadata)) throw foreign('metadata is not a JSON object');
  const { $correlationId: _correlation, $causationId: _causation, prevHash, hash, ...metadata } = event.metadata;
  if (typeof prevHash !== 'string' || typeof hash !== 'string') throw foreign('metadata has no hash chain');
  if (event.position === undefined) {
    throw new Error(`KurrentDB returned event ${event.id} without a position: the server must be 22.6 or newer`);
  }
  return {
    id: event.id,
    streamId: event.streamId,
    type: event.type,
    data: event.data,
    metadata: metadata as unknown as EventMetadata,
    revision: event.revision,
    // Commit positions order $all; see kurrentdb-event-store.ts for why one number is enough.
    position: event.position.commit,
    recordedAt: event.created.toISOString(),
    prevHash,
    hash,
  };
}

/** Removes a password from a connection string before it goes into an error message or a log. */
export function redactConnectionString(url: string): string {
  return url.replace(/\/\/([^:@/?,]+):[^@/?]*@/, '//$1:***@');
}

/**
 * gRPC 14 UNAVAILABLE (connection refused, DNS, TLS) and deadline expiry mean "cannot reach the server". The client
 * converts most of them to UnavailableError, but appends surface the raw gRPC error with `code: 14`.
 */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof UnavailableError || error instanceof DeadlineExceededError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 14 || code === 4;
}

/** Gives a client error the server address and the operation, keeping the original as `cause`. */
export function describeClientError(url: string, operation: string, error: unknown): Error {
  if (error instanceof EventStoreUnavailableError || error instanceof TamperedEventError) return error;
  if (isUnreachable(error))
    return new EventStoreUnavailableError(url, operation, { cause: error, detail: unreachableDetail(error) });
  const why = error instanceof Error ? error.message || error.name : String(error);
  return new Error(`KurrentDB at ${url}: ${operation} failed: ${why}`, { cause: error });
}

/**
 * The client's native reader reports an unreachable server as a bare "UnavailableError" with no detail, so we say
 * what gRPC status it stands for and what usually causes it; a raw gRPC error already carries a useful message.
 */
function unreachableDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const bareNames = [
    (error as Error).name,
    (error as Error).constructor?.name,
    'UnavailableError',
    'DeadlineExceededError',
  ];
  const informative = message !== '' && !bareNames.includes(message);
  if (error instanceof DeadlineExceededError || (error as { code?: unknown }).code === 4) {
    return `gRPC 4 DEADLINE_EXCEEDED${informative ? `: ${message}` : ''}`;
  }
  if (informative) return message.startsWith('14 ') ? `gRPC ${message}` : message;
  return 'gRPC 14 UNAVAILABLE: no connection (server down, wrong host or port, or a tls setting the server does not use)';
}
