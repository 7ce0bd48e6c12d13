import { canonicalRequest } from '@smilepay/shared/contracts';
import { randomBytes } from 'node:crypto';
import { hmacHex, sha256Hex } from './request-verifier';

export interface SignatureFields {
  keyId: string;
  timestamp: string;
  nonce: string;
  signature: string;
}

/** Signs one request; each call draws a fresh nonce, so a retry is a new signature over the same body. */
export function signRequest(keyId: string, secret: Buffer, method: string, path: string, body: Uint8Array | string, nowMs: number = Date.now()): SignatureFields {
  const timestamp = String(nowMs);
  const nonce = randomBytes(18).toString('base64url');
  const signature = hmacHex(secret, canonicalRequest(method, path, timestamp, nonce, sha256Hex(body)));
  return { keyId, timestamp, nonce, signature };
}

/** The same fields as HTTP headers, under the given header names. */
export function signatureHeaders(names: { keyId: string; timestamp: string; nonce: string; signature: string }, fields: SignatureFields): Record<string, string> {
  return { [names.keyId]: fields.keyId, [names.timestamp]: fields.timestamp, [names.nonce]: fields.nonce, [names.signature]: fields.signature };
}
