import { canonicalRequest, noncePattern } from '@smilepay/shared/contracts';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { NonceRegistry } from './nonce-store';
import type { Secret } from './secret';

export interface SigningKey {
  keyId: string;
  secret: Secret;
}

export interface SignedRequestParts {
  method: string;
  /** Path plus query string, exactly as sent. */
  path: string;
  keyId: string | undefined;
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
  bodySha256Hex: string;
}

export type SignatureFailure = 'auth_missing' | 'auth_malformed' | 'auth_unknown_key' | 'auth_stale_timestamp' | 'auth_bad_signature' | 'auth_replayed_nonce' | 'auth_replay_cache_full' | 'auth_replay_store_unavailable';

export type VerifyResult<K extends SigningKey> =
  | { ok: true; key: K }
  | { ok: false; code: SignatureFailure; status: 401 | 503; message: string; keyId?: string };

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmacHex(secret: Buffer, canonical: string): string {
  return createHmac('sha256', secret).update(canonical, 'utf8').digest('hex');
}

const timestampPattern = /^[0-9]{1,16}$/;
const signaturePattern = /^[0-9a-f]{64}$/;

export interface RequestVerifierOptions {
  /** How far a request's timestamp may be from this server's clock, either way. */
  windowMs: number;
  /** Where used nonces are remembered; one registry shared by every instance when there is more than one. */
  nonces: NonceRegistry;
  now?: () => number;
}

/**
 * Checks a signature: known key, fresh timestamp, well-formed nonce, matching HMAC, then a nonce never seen before.
 * The nonce is claimed last so a forged request cannot burn a genuine caller's nonce.
 */
export class RequestVerifier<K extends SigningKey> {
  readonly #keys: ReadonlyMap<string, K>;
  readonly #windowMs: number;
  readonly #nonces: NonceRegistry;
  readonly #now: () => number;

  constructor(keys: readonly K[], options: RequestVerifierOptions) {
    this.#keys = new Map(keys.map((k) => [k.keyId, k]));
    this.#windowMs = options.windowMs;
    this.#nonces = options.nonces;
    this.#now = options.now ?? Date.now;
  }

  async verify(parts: SignedRequestParts): Promise<VerifyResult<K>> {
    const checked = this.checkSignature(parts);
    if (!checked.ok) return checked;
    const { keyId, nonce } = parts as Required<SignedRequestParts>;
    switch (await this.#nonces.claim(`${keyId}:${nonce}`, checked.nowMs)) {
      case 'fresh':
        return { ok: true, key: checked.key };
      case 'replayed':
        return fail('auth_replayed_nonce', 'nonce was already used', keyId);
      case 'full':
        return { ok: false, code: 'auth_replay_cache_full', status: 503, message: 'replay cache is full, retry later', keyId };
      case 'unavailable':
        return { ok: false, code: 'auth_replay_store_unavailable', status: 503, message: 'replay store is unavailable, retry later', keyId };
    }
  }

  /** Everything but the nonce claim: pure and synchronous. */
  private checkSignature(parts: SignedRequestParts): { ok: true; key: K; nowMs: number } | Extract<VerifyResult<K>, { ok: false }> {
    const { keyId, timestamp, nonce, signature } = parts;
    if (!keyId && !timestamp && !nonce && !signature) return fail('auth_missing', 'request is not signed');
    if (!keyId || !timestamp || !nonce || !signature) {
      return fail('auth_malformed', 'key id, timestamp, nonce and signature are all required', keyId);
    }
    if (!timestampPattern.test(timestamp) || !noncePattern.test(nonce) || !signaturePattern.test(signature)) {
      return fail('auth_malformed', 'timestamp, nonce or signature is malformed', keyId);
    }
    const key = this.#keys.get(keyId);
    if (!key) return fail('auth_unknown_key', 'unknown key id', keyId);
    const nowMs = this.#now();
    if (Math.abs(nowMs - Number(timestamp)) > this.#windowMs) {
      return fail('auth_stale_timestamp', `timestamp is outside the ±${this.#windowMs} ms window`, keyId);
    }
    const expected = Buffer.from(hmacHex(key.secret.reveal(), canonicalRequest(parts.method, parts.path, timestamp, nonce, parts.bodySha256Hex)), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
      return fail('auth_bad_signature', 'signature does not match the request', keyId);
    }
    return { ok: true, key, nowMs };
  }
}

function fail(code: SignatureFailure, message: string, keyId?: string): { ok: false; code: SignatureFailure; status: 401; message: string; keyId?: string } {
  return { ok: false, code, status: 401, message, keyId };
}
