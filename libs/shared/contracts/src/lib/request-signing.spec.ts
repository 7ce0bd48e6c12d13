import { canonicalRequest, noncePattern, nonceTtlMs, signatureWindowMs } from './request-signing';

describe('the signed-request scheme', () => {
  it('signs one line per field, method upper-cased and the body digest lower-cased', () => {
    expect(canonicalRequest('post', '/v1/checkout-sessions?x=1', '1700000000000', 'n'.repeat(16), 'ABCDEF')).toBe(
      'POST\n/v1/checkout-sessions?x=1\n1700000000000\nnnnnnnnnnnnnnnnn\nabcdef',
    );
  });

  it('keeps nonces longer than the window, so a replay is either remembered or stale', () => {
    expect(nonceTtlMs).toBeGreaterThanOrEqual(2 * signatureWindowMs);
  });

  it('accepts only opaque base64url nonces of 16 to 128 characters', () => {
    expect(noncePattern.test('A'.repeat(16))).toBe(true);
    expect(noncePattern.test('A'.repeat(15))).toBe(false);
    expect(noncePattern.test('A'.repeat(129))).toBe(false);
    expect(noncePattern.test('abc/def+ghi=jklmnop')).toBe(false);
  });
});
