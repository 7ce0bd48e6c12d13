// The signature rules terminals, the gateway and the api rely on: window, tampering, replay, fail-closed nonce cache.
import { canonicalRequest, emptyBodySha256Hex } from '@smilepay/shared/contracts';
import { inspect } from 'node:util';
import { NonceStore, RequestVerifier, Secret, SignedRequestParts, hmacHex, sha256Hex, signRequest } from '../index';

const secret = 'terminal-secret-0123456789abcdef-xyz';
const key = { keyId: 'key-1', terminalId: 't-1', merchantId: 'm-1', secret: new Secret(secret) };
const body = JSON.stringify({ hello: 'world' });

function signed(nowMs: number, overrides: Partial<SignedRequestParts> = {}): SignedRequestParts {
  const s = signRequest('key-1', Buffer.from(secret), 'POST', '/v1/checkout-sessions', body, nowMs);
  return { method: 'POST', path: '/v1/checkout-sessions', ...s, bodySha256Hex: sha256Hex(body), ...overrides };
}

describe('RequestVerifier', () => {
  let now = 1_700_000_000_000;
  const verifier = () => new RequestVerifier([key], { windowMs: 30_000, nonces: new NonceStore(60_000, 1000), now: () => now });

  it('accepts a correctly signed fresh request and names its key', async () => {
    const result = await verifier().verify(signed(now));
    expect(result).toEqual({ ok: true, key });
  });

  it('refuses an unsigned request with auth_missing', async () => {
    const result = await verifier().verify({ method: 'POST', path: '/', keyId: undefined, timestamp: undefined, nonce: undefined, signature: undefined, bodySha256Hex: emptyBodySha256Hex });
    expect(result).toMatchObject({ ok: false, code: 'auth_missing', status: 401 });
  });

  it('refuses a partly signed request with auth_malformed', async () => {
    expect(await verifier().verify(signed(now, { nonce: undefined }))).toMatchObject({ ok: false, code: 'auth_malformed' });
    expect(await verifier().verify(signed(now, { nonce: 'short' }))).toMatchObject({ ok: false, code: 'auth_malformed' });
  });

  it('refuses an unknown key id', async () => {
    expect(await verifier().verify(signed(now, { keyId: 'key-2' }))).toMatchObject({ ok: false, code: 'auth_unknown_key' });
  });

  it.each([
    ['31 s old', -31_000],
    ['31 s in the future', 31_000],
  ])('refuses a timestamp %s with auth_stale_timestamp', async (_label, skewMs) => {
    const v = verifier();
    expect(await v.verify(signed(now + skewMs))).toMatchObject({ ok: false, code: 'auth_stale_timestamp' });
  });

  it('accepts a timestamp 29 s old', async () => {
    expect((await verifier().verify(signed(now - 29_000))).ok).toBe(true);
  });

  it.each([
    ['the body', { bodySha256Hex: sha256Hex(body + ' ') }],
    ['the path', { path: '/v1/checkout-sessions/other' }],
    ['the method', { method: 'PUT' }],
  ])('refuses a request with an altered %s: auth_bad_signature', async (_what, change) => {
    expect(await verifier().verify(signed(now, change))).toMatchObject({ ok: false, code: 'auth_bad_signature' });
  });

  it('refuses a signature made with another secret', async () => {
    const forged = signRequest('key-1', Buffer.from('another-secret-0123456789abcdef-xyz'), 'POST', '/v1/checkout-sessions', body, now);
    expect(await verifier().verify({ ...signed(now), ...forged })).toMatchObject({ ok: false, code: 'auth_bad_signature' });
  });

  it('refuses a replay of the same request with auth_replayed_nonce', async () => {
    const v = verifier();
    const request = signed(now);
    expect((await v.verify(request)).ok).toBe(true);
    now += 5_000;
    expect(await v.verify(request)).toMatchObject({ ok: false, code: 'auth_replayed_nonce' });
  });

  it('refuses a replay after the nonce expired, because by then the timestamp is stale', async () => {
    const v = verifier();
    const request = signed(now);
    expect((await v.verify(request)).ok).toBe(true);
    now += 61_000;
    expect(await v.verify(request)).toMatchObject({ ok: false, code: 'auth_stale_timestamp' });
  });

  it('does not burn a nonce on a forged request', async () => {
    const v = verifier();
    const genuine = signed(now);
    expect((await v.verify({ ...genuine, signature: 'f'.repeat(64) })).ok).toBe(false);
    expect((await v.verify(genuine)).ok).toBe(true);
  });

  it('verifies against the canonical string documented in the contracts', async () => {
    const ts = String(now);
    const nonce = 'abcdefghijklmnop';
    const signature = hmacHex(Buffer.from(secret), canonicalRequest('GET', '/terminal', ts, nonce, emptyBodySha256Hex));
    const result = await verifier().verify({ method: 'GET', path: '/terminal', keyId: 'key-1', timestamp: ts, nonce, signature, bodySha256Hex: emptyBodySha256Hex });
    expect(result.ok).toBe(true);
  });
});

describe('NonceStore', () => {
  it('forgets nonces after their TTL and never holds more than its cap', () => {
    const store = new NonceStore(1_000, 3);
    expect(['a', 'b', 'c'].map((n) => store.claim(n, 0))).toEqual(['fresh', 'fresh', 'fresh']);
    expect(store.claim('d', 500)).toBe('full');
    expect(store.claim('a', 500)).toBe('replayed');
    expect(store.claim('d', 1_000)).toBe('fresh');
    expect(store.size).toBe(1);
  });

  it('fails closed rather than evicting live nonces', () => {
    const store = new NonceStore(60_000, 100_000);
    for (let i = 0; i < 100_000; i++) store.claim(`n${i}`, 0);
    expect(store.claim('one-more', 59_999)).toBe('full');
    expect(store.claim('n0', 59_999)).toBe('replayed');
    expect(store.claim('one-more', 60_000)).toBe('fresh');
    expect(store.size).toBe(1);
  });
});

describe('Secret', () => {
  it('never prints its value', () => {
    const s = new Secret('super-secret-value-0123456789abcdef');
    expect(`${s}`).not.toContain('super');
    expect(JSON.stringify({ s })).not.toContain('super');
    expect(inspect({ s })).not.toContain('super');
    expect(s.reveal().toString()).toBe('super-secret-value-0123456789abcdef');
  });
});
