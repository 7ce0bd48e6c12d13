/**
 * Request signing shared by terminals → gateway (per-terminal key) and gateway → api (internal shared secret).
 *
 * signature = hex(HMAC-SHA256(secret, canonicalRequest(method, path, timestamp, nonce, hex(SHA-256(body)))))
 *
 * The timestamp is Unix epoch milliseconds as a decimal string; the receiver accepts it within
 * ±signatureWindowMs of its own clock and remembers each nonce for nonceTtlMs, which is longer than the window,
 * so a captured request can never be replayed: either its nonce is still remembered or its timestamp is stale.
 */
export const signatureWindowMs = 30_000;
export const nonceTtlMs = 60_000;
/** Nonces are opaque: 16-128 characters of base64url alphabet, so they can sit in headers and logs safely. */
export const noncePattern = /^[A-Za-z0-9_-]{16,128}$/;

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

/** SHA-256 of an empty body, for GET requests and the socket handshake. */
export const emptyBodySha256Hex = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function canonicalRequest(method: string, path: string, timestamp: string, nonce: string, bodySha256Hex: string): string {
  return [method.toUpperCase(), path, timestamp, nonce, bodySha256Hex.toLowerCase()].join('\n');
}
