/**
 * Request signing shared by terminals → gateway (per-terminal key) and gateway → api (internal shared secret).
 *
 * signature = hex(HMAC-SHA256(secret, canonicalRequest(method, path, timestamp, nonce, hex(SHA-256(body)))))
 *
 * The timestamp is Unix epoch milliseconds as a decimal string; the receiver accepts it within
 * ±signatureWindowMs of its own clock and remembers each nonce for nonceTtlMs, which is longer than the window,
 * so a captured request can never be replayed: either its nonce is still remembered or its timestamp is stale.
 */
// The scheme itself (window, nonce rules, canonical string) is shared with every signed caller in smilepay.
export { canonicalRequest, emptyBodySha256Hex, noncePattern, nonceTtlMs, signatureWindowMs } from '@smilepay/shared/contracts';

export const terminalAuthHeaders = {
  keyId: 'x-terminal-key-id',
  timestamp: 'x-terminal-timestamp',
  nonce: 'x-terminal-nonce',
  signature: 'x-terminal-signature',
} as const;

export const internalAuthHeaders = {
  keyId: 'x-internal-key-id',
  timestamp: 'x-internal-timestamp',
  nonce: 'x-internal-nonce',
  signature: 'x-internal-signature',
  /** Stays the same on every retry of one command so the api can deduplicate. */
  idempotencyKey: 'idempotency-key',
} as const;

/**
 * The socket.io handshake is signed like an HTTP request with method "GET", path the namespace ("/terminal")
 * and an empty body; the fields travel in the socket.io `auth` payload.
 */
export interface SignedHandshakeAuth {
  keyId: string;
  timestamp: string;
  nonce: string;
  signature: string;
}
