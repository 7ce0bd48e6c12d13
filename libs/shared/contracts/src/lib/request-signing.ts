/**
 * The signed-request scheme shared by terminals → gateway and gateway → api: HMAC-SHA256 over
 * `METHOD \n path \n timestamp \n nonce \n sha256(body)`, a ±30 s timestamp window and single-use nonces.
 */
export const signatureWindowMs = 30_000;
export const nonceTtlMs = 60_000;
export const noncePattern = /^[A-Za-z0-9_-]{16,128}$/;

/** SHA-256 of an empty body, for GET requests and socket handshakes. */
export const emptyBodySha256Hex = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function canonicalRequest(method: string, path: string, timestamp: string, nonce: string, bodySha256Hex: string): string {
  return [method.toUpperCase(), path, timestamp, nonce, bodySha256Hex.toLowerCase()].join('\n');
}
