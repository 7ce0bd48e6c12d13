import { toHex, utf8 } from '../crypto/bytes';
import { canonicalJson } from '../crypto/canonical-json';
import type { Sha256 } from '../crypto/sha256';

/**
 * The per-stream hash chain of docs/ARCHITECTURE.md ("Event store"), recomputed independently of the writer:
 * hash = SHA-256(canonical JSON of { streamId, revision, type, data, metadata, prevHash }), revision as a decimal
 * string, prevHash '' at revision 0. Lowercase hex.
 */
export interface HashedEventContent {
  streamId: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  prevHash: string;
}

/** The exact text that is hashed. */
export function eventHashInput(event: HashedEventContent): string {
  return canonicalJson({
    streamId: event.streamId,
    revision: event.revision.toString(),
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    prevHash: event.prevHash,
  });
}

export function eventHash(hash: Sha256, event: HashedEventContent): string {
  return toHex(hash(utf8(eventHashInput(event))));
}

/** Recomputes an event's hash (lowercase hex); the application passes a node:crypto one for speed. */
export type EventHasher = (event: HashedEventContent) => string;

export function eventHasher(hash: Sha256): EventHasher {
  return (event) => eventHash(hash, event);
}
