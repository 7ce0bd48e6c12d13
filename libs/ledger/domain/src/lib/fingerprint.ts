import { canonicalString, type CanonicalValue } from './canonical';
import { sha256Hex } from './sha256';

/** A request's fingerprint: SHA-256 of its canonical encoding, prefixed so the algorithm can change later. */
export function fingerprintOf(request: CanonicalValue): string {
  return `sha256:${sha256Hex(canonicalString(request))}`;
}
