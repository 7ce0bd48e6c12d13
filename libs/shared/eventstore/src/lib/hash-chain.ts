import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { TamperedEventError } from './errors';
import type { RecordedEvent } from './event-store.port';

/**
 * The per-stream hash chain (docs/ARCHITECTURE.md, "Event store"):
 * `hash = SHA-256(canonical JSON of { streamId, revision, type, data, metadata, prevHash })`, where `revision` is
 * encoded as a decimal string (canonical JSON refuses bigint) and `prevHash` is the previous event's hash, '' at
 * revision 0. The writer computes it at append time, inside the same transaction that fixes the revision.
 */

export interface EventHashInput {
  streamId: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  prevHash: string;
}

/** The same input with data and metadata already encoded as canonical JSON text. */
export interface CanonicalEventHashInput {
  streamId: string;
  revision: bigint;
  type: string;
  dataJson: string;
  metadataJson: string;
  prevHash: string;
}

/** SHA-256 (lowercase hex) of the canonical JSON of the event's identity and content. */
export function computeEventHash(input: EventHashInput): string {
  const canonical = canonicalJson({
    streamId: input.streamId,
    revision: input.revision.toString(),
    type: input.type,
    data: input.data,
    metadata: input.metadata,
    prevHash: input.prevHash,
  });
  return sha256Hex(canonical);
}

/**
 * Same result as computeEventHash when dataJson and metadataJson are canonical JSON, without re-encoding them.
 * Writers use it on the hot path (they already hold the canonical text they store), and the SQLite verifier uses it
 * on the stored text itself, so that changing any stored byte changes the hash, even a byte that JSON.parse would
 * forgive (whitespace, key order, escapes).
 * The literal below is canonical JSON of the six fields: keys in sorted order (data < metadata < prevHash <
 * revision < streamId < type), strings encoded by JSON.stringify. hash-chain.spec.ts checks both paths agree.
 */
export function computeEventHashFromCanonical(input: CanonicalEventHashInput): string {
  const canonical =
    `{"data":${input.dataJson},"metadata":${input.metadataJson},` +
    `"prevHash":${JSON.stringify(input.prevHash)},"revision":"${input.revision.toString()}",` +
    `"streamId":${JSON.stringify(input.streamId)},"type":${JSON.stringify(input.type)}}`;
  return sha256Hex(canonical);
}

/** One-shot hashing (crypto.hash) costs about 40% less than createHash().update().digest() for event-sized text. */
function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/** Why a chain is broken. */
export type ChainBreakReason =
  /** The stored hash is not the hash of the stored content: the event (type, data or metadata) was altered. */
  | 'hash_mismatch'
  /** The event's prevHash is not the previous event's hash: an event before it was altered, removed or replaced. */
  | 'prev_hash_mismatch'
  /** Revisions are not consecutive from 0: an event was removed or inserted. */
  | 'revision_gap'
  /** An event of another stream appears in the list. */
  | 'stream_mismatch'
  /** The store's stream head (last revision and hash) disagrees with its last stored event: the tail was removed. */
  | 'stream_head_mismatch';

export interface ChainBreak {
  streamId: string;
  revision: bigint;
  reason: ChainBreakReason;
  message: string;
}

export type ChainVerification =
  | { ok: true; eventsChecked: number; lastRevision: bigint | undefined; lastHash: string }
  | { ok: false; eventsChecked: number; broken: ChainBreak };

/** What the chain walk needs to know about one event. */
export type ChainLink = Pick<
  RecordedEvent,
  'streamId' | 'revision' | 'type' | 'data' | 'metadata' | 'prevHash' | 'hash'
>;

export interface VerifyChainOptions {
  /**
   * The hash the first event's prevHash must equal when the list does not start at revision 0 (a partial read).
   * Without it, a partial list is anchored on its own first prevHash. A list starting at revision 0 is always
   * anchored on ''.
   */
  expectedPrevHash?: string;
}

/**
 * Walks one stream's events in revision order and returns the first broken link, or ok.
 * Checks, for each event: same stream, consecutive revision, prevHash equals the previous hash, and the stored hash
 * equals the recomputed hash. The prevHash check comes first, so a tampered event shows as `hash_mismatch` at its own
 * revision, and a re-hashed tampered event shows as `prev_hash_mismatch` at the next one.
 */
export function verifyStreamChain(events: readonly ChainLink[], options: VerifyChainOptions = {}): ChainVerification {
  return walkChain(events, (event) => computeEventHash(event), options);
}

/** The fields the chain walk reads directly; content is reached through the `recompute` function. */
export type LinkFields = Pick<ChainLink, 'streamId' | 'revision' | 'prevHash' | 'hash'>;

/** Same walk over any representation of events, given how to recompute each event's hash. */
export function walkChain<E extends LinkFields>(
  events: readonly E[],
  recompute: (event: E) => string,
  options: VerifyChainOptions = {},
): ChainVerification {
  const first = events[0];
  if (first === undefined) return { ok: true, eventsChecked: 0, lastRevision: undefined, lastHash: '' };
  const cursor = new ChainCursor(first.streamId, recompute, options);
  for (const event of events) {
    const broken = cursor.check(event);
    if (broken) return { ok: false, eventsChecked: cursor.eventsChecked, broken };
  }
  return {
    ok: true,
    eventsChecked: cursor.eventsChecked,
    lastRevision: cursor.lastRevision,
    lastHash: cursor.lastHash,
  };
}

/**
 * Incremental form of the walk, for verifiers that read a stream in pages and cannot hold it in memory.
 * Feed events in revision order; after the first break is returned, stop feeding this cursor.
 */
export class ChainCursor<E extends LinkFields> {
  eventsChecked = 0;
  lastRevision: bigint | undefined;
  lastHash = '';
  private expectedRevision: bigint | undefined;
  private expectedPrevHash = '';

  constructor(
    readonly streamId: string,
    private readonly recompute: (event: E) => string,
    private readonly options: VerifyChainOptions = {},
  ) {}

  check(event: E): ChainBreak | undefined {
    if (this.expectedRevision === undefined) {
      // A list starting at revision 0 is anchored on ''; a partial list on the given anchor or its own prevHash.
      this.expectedRevision = event.revision;
      this.expectedPrevHash = event.revision === 0n ? '' : (this.options.expectedPrevHash ?? event.prevHash);
    }
    const broken = checkLink(event, this.streamId, this.expectedRevision, this.expectedPrevHash, this.recompute);
    if (broken) return broken;
    this.eventsChecked += 1;
    this.expectedRevision = event.revision + 1n;
    this.expectedPrevHash = event.hash;
    this.lastRevision = event.revision;
    this.lastHash = event.hash;
    return undefined;
  }
}

function checkLink<E extends LinkFields>(
  event: E,
  streamId: string,
  expectedRevision: bigint,
  expectedPrevHash: string,
  recompute: (event: E) => string,
): ChainBreak | undefined {
  const at = { streamId: event.streamId, revision: event.revision };
  if (event.streamId !== streamId) {
    return { ...at, reason: 'stream_mismatch', message: `event of stream ${event.streamId} inside stream ${streamId}` };
  }
  if (event.revision !== expectedRevision) {
    return { ...at, reason: 'revision_gap', message: `expected revision ${expectedRevision}, found ${event.revision}` };
  }
  if (event.prevHash !== expectedPrevHash) {
    const previous = expectedPrevHash === '' ? "'' (first event)" : expectedPrevHash;
    return { ...at, reason: 'prev_hash_mismatch', message: `prevHash ${event.prevHash} does not link to ${previous}` };
  }
  let actual: string;
  try {
    actual = recompute(event);
  } catch (error) {
    // Content that can no longer be encoded (a tampered byte made the JSON invalid) is a broken hash, not a crash.
    const why = error instanceof Error ? error.message : String(error);
    return { ...at, reason: 'hash_mismatch', message: `content cannot be hashed: ${why}` };
  }
  if (actual !== event.hash) {
    return { ...at, reason: 'hash_mismatch', message: `stored hash ${event.hash}, content hashes to ${actual}` };
  }
  return undefined;
}

/** Throws TamperedEventError at the first broken link. */
export function assertStreamChain(events: readonly ChainLink[], options: VerifyChainOptions = {}): void {
  const result = verifyStreamChain(events, options);
  if (!result.ok) throw new TamperedEventError(result.broken.streamId, result.broken.revision, result.broken.message);
}
