import { randomBytes } from 'node:crypto';
import { terminalAuthHeaders } from '@smilepay/checkout/contracts';
import { signatureHeaders, SignatureFields, signRequest } from '@smilepay/shared/request-signing';

/** A terminal's key as the gateway's TERMINAL_KEYS lists it. */
export interface TerminalKey {
  keyId: string;
  terminalId: string;
  merchantId: string;
  secret: string;
}

export type Signature = SignatureFields;

/** HMAC-SHA256 over method, path, timestamp, nonce and the body's SHA-256 (@smilepay/shared/contracts). */
export function sign(keyId: string, secret: string, method: string, path: string, body: Uint8Array | string): Signature {
  return signRequest(keyId, Buffer.from(secret), method, path, body);
}

export const headers = signatureHeaders;

/** The fetch options of a JSON POST signed as a terminal: sending the same options twice is a replay. */
export function signedJsonPost(key: TerminalKey, path: string, body: unknown): RequestInit & { headers: Record<string, string>; body: string } {
  const text = JSON.stringify(body);
  const signature = signatureHeaders(terminalAuthHeaders, sign(key.keyId, key.secret, 'POST', path, text));
  return { method: 'POST', headers: { ...signature, 'content-type': 'application/json' }, body: text };
}

/** Parses TERMINAL_KEYS JSON (the gateway's format). */
export function parseKeys(json: string): TerminalKey[] {
  const keys = JSON.parse(json) as TerminalKey[];
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('terminal keys must be a non-empty JSON array');
  for (const k of keys) {
    if (!k.keyId || !k.terminalId || !k.merchantId || !k.secret) throw new Error('each terminal key needs keyId, terminalId, merchantId and secret');
  }
  return keys;
}

/** Demo keys for a gateway the simulator starts itself: random secrets, never written anywhere. */
export function generateKeys(count: number): TerminalKey[] {
  return Array.from({ length: count }, (_, i) => ({
    keyId: `sim-key-${i + 1}`,
    terminalId: `sim-terminal-${i + 1}`,
    merchantId: '5e1f7a3c-0000-4000-8000-000000000001',
    secret: randomBytes(32).toString('base64url'),
  }));
}
