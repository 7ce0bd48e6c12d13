import { canonicalJson, isPlainObject } from './canonical-json';
import { timeOrderedUuid } from './event-id';
import type { EventMetadata, ExpectedState, NewEvent } from './event-store.port';
import { EVENT_STORE_LIMITS, requireRevision } from './limits';

/**
 * An event checked and encoded before any transaction starts, so that a bad event fails the whole append before
 * anything is written, and the transaction itself only assigns revisions and hashes.
 */
export interface PreparedEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** Canonical JSON of data: what is stored and what is hashed. */
  dataJson: string;
  metadataJson: string;
}

/**
 * Metadata keys the KurrentDB adapter writes next to ours (KurrentDB's correlation convention and our chain),
 * refused in caller metadata on every adapter so that events move between stores unchanged.
 */
export const RESERVED_METADATA_KEYS: readonly string[] = ['$correlationId', '$causationId', 'prevHash', 'hash'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates a stream id: a non-empty name that is not a KurrentDB system stream ('$' prefix). */
export function requireStreamId(streamId: string): void {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > EVENT_STORE_LIMITS.maxNameLength) {
    throw new TypeError(`stream id must be a string of 1 to ${EVENT_STORE_LIMITS.maxNameLength} characters`);
  }
  if (streamId.startsWith('$')) throw new TypeError(`stream id ${streamId}: names starting with '$' are reserved`);
}

export function requireExpectedState(expectedState: ExpectedState): void {
  if (typeof expectedState === 'bigint') return requireRevision('expectedState', expectedState);
  if (expectedState === 'any' || expectedState === 'no_stream' || expectedState === 'stream_exists') return;
  throw new TypeError(
    `expectedState must be 'any', 'no_stream', 'stream_exists' or a bigint revision, got ${String(expectedState)}`,
  );
}

/** Checks and encodes one append's events. Throws TypeError/RangeError naming the stream and event index. */
export function prepareEvents(streamId: string, events: readonly NewEvent[]): PreparedEvent[] {
  requireStreamId(streamId);
  if (!Array.isArray(events) || events.length === 0) {
    throw new RangeError(`stream ${streamId}: append needs at least one event`);
  }
  if (events.length > EVENT_STORE_LIMITS.maxEventsPerAppend) {
    throw new RangeError(
      `stream ${streamId}: ${events.length} events in one append, limit ${EVENT_STORE_LIMITS.maxEventsPerAppend}`,
    );
  }
  const seen = new Set<string>();
  return events.map((event, index) => {
    const prepared = prepareEvent(event, `stream ${streamId} event #${index}`);
    if (seen.has(prepared.id)) {
      throw new TypeError(`stream ${streamId} event #${index}: id ${prepared.id} repeated in one append`);
    }
    seen.add(prepared.id);
    return prepared;
  });
}

function prepareEvent(event: NewEvent, where: string): PreparedEvent {
  if (!isPlainObject(event)) throw new TypeError(`${where}: not an event object`);
  const { type, data, metadata } = event;
  if (typeof type !== 'string' || type.length === 0 || type.length > EVENT_STORE_LIMITS.maxNameLength) {
    throw new TypeError(`${where}: type must be a string of 1 to ${EVENT_STORE_LIMITS.maxNameLength} characters`);
  }
  if (type.startsWith('$')) throw new TypeError(`${where}: type ${type} starts with '$', reserved for system events`);
  // Ids the writer makes are time-ordered, so the stored id index grows at its right edge (see timeOrderedUuid).
  const id = event.id ?? timeOrderedUuid();
  // KurrentDB requires uuid event ids; holding the embedded store to the same rule keeps stores interchangeable.
  if (typeof id !== 'string' || !UUID.test(id)) throw new TypeError(`${where}: id must be a uuid, got ${String(id)}`);
  if (!isPlainObject(data)) throw new TypeError(`${where} (${type}): data must be a plain JSON object`);
  requireMetadata(metadata, `${where} (${type})`);
  const dataJson = encodeField(data, `${where} (${type}) data`);
  const metadataJson = encodeField(metadata, `${where} (${type}) metadata`);
  if (dataJson.length + metadataJson.length > EVENT_STORE_LIMITS.maxEventBytes) {
    throw new RangeError(`${where} (${type}): data and metadata exceed ${EVENT_STORE_LIMITS.maxEventBytes} characters`);
  }
  return { id: id.toLowerCase(), type, data, metadata, dataJson, metadataJson };
}

function requireMetadata(metadata: unknown, where: string): asserts metadata is EventMetadata {
  if (!isPlainObject(metadata)) throw new TypeError(`${where}: metadata must be a plain object`);
  for (const key of ['correlationId', 'causationId', 'actor'] as const) {
    if (typeof metadata[key] !== 'string') throw new TypeError(`${where}: metadata.${key} must be a string`);
  }
  const version = metadata['schemaVersion'];
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new TypeError(`${where}: metadata.schemaVersion must be a positive integer`);
  }
  for (const key of RESERVED_METADATA_KEYS) {
    if (key in metadata) throw new TypeError(`${where}: metadata.${key} is reserved for the event store`);
  }
}

function encodeField(value: unknown, where: string): string {
  try {
    return canonicalJson(value);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new TypeError(`${where}: ${why}`, { cause: error });
  }
}
