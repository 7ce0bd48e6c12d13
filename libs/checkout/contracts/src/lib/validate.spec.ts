import { validateFrameMeta, validatePhoneDigits, validatePinAnswer, validatePinCheckout, validateSessionStart } from './validate';
import { canonicalRequest, emptyBodySha256Hex } from './terminal-auth';
import { CheckoutErrorCode, isCheckoutErrorCode } from './error-codes';
import { isMinorUnitsString } from './money';
import { createHash } from 'node:crypto';

const start = { merchantId: 'm-1', terminalId: 't-1', amountMinor: '1250', currency: 'EUR', idempotencyKey: 'k-1' };

describe('validateSessionStart', () => {
  it('accepts a well-formed start', () => {
    expect(validateSessionStart(start)).toEqual({ ok: true, value: start });
  });

  it.each([
    ['a number amount', { ...start, amountMinor: 1250 }],
    ['a zero amount', { ...start, amountMinor: '0' }],
    ['a fractional amount', { ...start, amountMinor: '12.50' }],
    ['a negative amount', { ...start, amountMinor: '-1' }],
    ['leading zeros', { ...start, amountMinor: '0125' }],
    ['an unknown currency', { ...start, currency: 'XBT' }],
    ['an empty terminal id', { ...start, terminalId: '' }],
    ['a missing idempotency key', { ...start, idempotencyKey: undefined }],
  ])('refuses %s', (_name, input) => {
    const result = validateSessionStart(input);
    expect(result.ok).toBe(false);
  });

  it('names every bad field', () => {
    const result = validateSessionStart({ ...start, amountMinor: 1, currency: 'X' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join(' ')).toMatch(/amountMinor.*currency/);
  });
});

describe('validatePhoneDigits', () => {
  it('accepts exactly the requested number of digits', () => {
    expect(validatePhoneDigits({ digits: '4821' }, 4).ok).toBe(true);
  });
  it.each([['482'], ['48211'], ['48a1'], [' 4821'], ['４８２１']])('refuses %p for 4 digits', (digits) => {
    expect(validatePhoneDigits({ digits }, 4).ok).toBe(false);
  });
});

describe('validateFrameMeta', () => {
  it('refuses a negative or fractional seq', () => {
    expect(validateFrameMeta({ seq: -1, capturedAtMs: 0 }).ok).toBe(false);
    expect(validateFrameMeta({ seq: 1.5, capturedAtMs: 0 }).ok).toBe(false);
    expect(validateFrameMeta({ seq: 3, capturedAtMs: 12.5 }).ok).toBe(true);
  });
});

describe('wire helpers', () => {
  it('builds the canonical request with upper-case method and lower-case digest', () => {
    expect(canonicalRequest('post', '/v1/x', '1700000000000', 'n'.repeat(16), 'ABC')).toBe(
      `POST\n/v1/x\n1700000000000\n${'n'.repeat(16)}\nabc`,
    );
  });
  it('publishes the right digest of an empty body', () => {
    expect(emptyBodySha256Hex).toBe(createHash('sha256').update('').digest('hex'));
  });
  it('recognises its own error codes only', () => {
    expect(isCheckoutErrorCode(CheckoutErrorCode.FrameFlood)).toBe(true);
    expect(isCheckoutErrorCode('frame_flooded')).toBe(false);
  });
  it('keeps money as canonical decimal strings', () => {
    expect(isMinorUnitsString('0')).toBe(true);
    expect(isMinorUnitsString('999999999999999999')).toBe(true);
    expect(isMinorUnitsString('1e3')).toBe(false);
    expect(isMinorUnitsString(100)).toBe(false);
  });
});

describe('validatePinAnswer and validatePinCheckout', () => {
  it('accepts 6 digits and a whole phone number', () => {
    expect(validatePinAnswer({ pin: '004217' })).toEqual({ ok: true, value: { pin: '004217' } });
    expect(validatePinCheckout({ session: start, phoneNumber: '+8613800000001', pin: '123456' })).toEqual({
      ok: true,
      value: { session: start, phoneNumber: '+8613800000001', pin: '123456' },
    });
  });

  it.each([
    ['5 digits', { pin: '12345' }],
    ['letters', { pin: '12a456' }],
    ['a number', { pin: 123456 }],
    ['an unknown field', { pin: '123456', remember: true }],
  ])('refuses a PIN answer with %s', (_name, input) => {
    expect(validatePinAnswer(input).ok).toBe(false);
  });

  it('names every problem of a PIN checkout, including the session\'s', () => {
    const result = validatePinCheckout({ session: { ...start, currency: 'XBT' }, phoneNumber: '12', pin: '1', extra: 1 });
    expect(result.ok).toBe(false);
    const problems = (result as { problems: string[] }).problems.join('\n');
    expect(problems).toMatch(/session: currency/);
    expect(problems).toMatch(/phoneNumber/);
    expect(problems).toMatch(/pin must be/);
    expect(problems).toMatch(/unknown field "extra"/);
  });
});
