import { canonicalString, type CanonicalValue } from './canonical';
import { sha256Hex } from './sha256';

/**
 * Lowercase hex SHA-256 of a string's UTF-8 bytes. The domain's own pure implementation is the default, so the
 * deciders stay runnable with nothing but this library; an application injects a native one (node:crypto) where
 * speed matters, through the `...With(hash)` factories. Both must give the same bytes: stored fingerprints are
 * compared with new ones (the application's spec checks that they agree).
 */
export type Sha256HexOf = (text: string) => string;

/** A request's fingerprint: SHA-256 of its canonical encoding, prefixed so the algorithm can change later. */
export function fingerprintOf(request: CanonicalValue, hashHex: Sha256HexOf = sha256Hex): string {
  return `sha256:${hashHex(canonicalString(request))}`;
}
