import type { EventHasher, HashedEventContent } from './event-hash';

/** An event as the verifier sees it: content, place in its stream and in $all, and the hashes stored with it. */
export interface AuditedEvent extends HashedEventContent {
  id: string;
  position: bigint;
  hash: string;
}

export type StreamChainFailureReason =
  /** The content no longer hashes to the stored hash: this event's type, data or metadata was changed. */
  | 'hash_mismatch'
  /** prevHash is not the previous event's stored hash: an earlier event was replaced or removed, or this was re-linked. */
  | 'prev_hash_mismatch'
  /** Revisions of the stream do not follow each other from 0: an event was removed or inserted. */
  | 'revision_gap'
  /** The content cannot be read or encoded at all (invalid JSON in the store). */
  | 'unreadable';

/** Exactly which event is wrong. */
export interface StreamChainFailure {
  streamId: string;
  revision: bigint;
  /** Undefined only when the store could not say where an unreadable event sits. */
  position: bigint | undefined;
  eventId: string | undefined;
  reason: StreamChainFailureReason;
  message: string;
  /** The hash the verifier computed from the content (hash_mismatch only). */
  recomputedHash?: string;
}

interface StreamHead {
  revision: bigint;
  /** Undefined after an unreadable event. */
  hash: string | undefined;
}

/**
 * Checks every stream's chain while events arrive in $all (position) order, keeping only each stream's last
 * revision and hash. Unlike a stop-at-first-break walk it keeps going after a break, re-anchored on the stored
 * hash, so a single altered event is reported once, at itself, and a re-hashed one also at its successor.
 */
export class StreamChainTracker {
  private readonly heads = new Map<string, StreamHead>();
  eventsChecked = 0;

  /**
   * `maxStreams` bounds the memory (a few hundred bytes per stream): past it the walk stops with an error rather than
   * exhausting the process.
   */
  constructor(
    private readonly hashEvent: EventHasher,
    readonly maxStreams = 20_000_000,
  ) {}

  get streamsSeen(): number {
    return this.heads.size;
  }

  /**
   * Checks one event and returns its failures (usually none) and the hash recomputed from its content, which is
   * what the Merkle checks must use: the stored hash is the thing being audited.
   */
  check(event: AuditedEvent): { failures: StreamChainFailure[]; recomputedHash: string | undefined } {
    const failures: StreamChainFailure[] = [];
    const at = { streamId: event.streamId, revision: event.revision, position: event.position, eventId: event.id };
    const head = this.heads.get(event.streamId);
    if (head === undefined && this.heads.size >= this.maxStreams) {
      throw new RangeError(`more than ${this.maxStreams} streams: raise the verifier's maxStreams (about 250 bytes each)`);
    }
    const expectedRevision = head === undefined ? 0n : head.revision + 1n;
    const expectedPrevHash = head === undefined ? '' : head.hash;
    if (event.revision !== expectedRevision) {
      failures.push({ ...at, reason: 'revision_gap', message: `expected revision ${expectedRevision}, found ${event.revision}` });
    } else if (expectedPrevHash !== undefined && event.prevHash !== expectedPrevHash) {
      const previous = expectedPrevHash === '' ? "'' (first event)" : expectedPrevHash;
      failures.push({ ...at, reason: 'prev_hash_mismatch', message: `prevHash ${event.prevHash} does not link to ${previous}` });
    }
    let recomputedHash: string | undefined;
    try {
      recomputedHash = this.hashEvent(event);
      if (recomputedHash !== event.hash) {
        failures.push({
          ...at,
          reason: 'hash_mismatch',
          message: `stored hash ${event.hash}, content hashes to ${recomputedHash}`,
          recomputedHash,
        });
      }
    } catch (error) {
      failures.push({ ...at, reason: 'unreadable', message: `content cannot be hashed: ${messageOf(error)}` });
    }
    this.heads.set(event.streamId, { revision: event.revision, hash: event.hash });
    this.eventsChecked += 1;
    return { failures, recomputedHash };
  }

  /**
   * Records an event the store could not even return (its stored text no longer parses). Its stored hash is unknown
   * to a port-level reader, so its successor's prevHash cannot be checked; its revision still can.
   */
  markUnreadable(streamId: string, revision: bigint): void {
    this.heads.set(streamId, { revision, hash: undefined });
    this.eventsChecked += 1;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
