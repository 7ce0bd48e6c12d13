import { isPhoneE164, normalizePhoneE164, phoneLast4 } from './phone-number';

describe('phone numbers', () => {
  it('keeps an E.164 number and strips separators', () => {
    expect(normalizePhoneE164('+86 138-0013-8000')).toBe('+8613800138000');
    expect(normalizePhoneE164('0044 (20) 7946.0958')).toBe('+442079460958');
  });

  it('adds the default country code to a national number and drops the trunk zero', () => {
    expect(normalizePhoneE164('13800138000', '86')).toBe('+8613800138000');
    expect(normalizePhoneE164('020 7946 0958', '44')).toBe('+442079460958');
  });

  it('refuses national numbers without a default country code, and malformed input', () => {
    expect(normalizePhoneE164('13800138000')).toBeNull();
    expect(normalizePhoneE164('+0123456789')).toBeNull();
    expect(normalizePhoneE164('+12345')).toBeNull();
    expect(normalizePhoneE164('+1234567890123456')).toBeNull();
    expect(normalizePhoneE164('+86 138 abc')).toBeNull();
    expect(normalizePhoneE164('1380013800', '8a')).toBeNull();
    expect(normalizePhoneE164('9'.repeat(40), '1')).toBeNull();
  });

  it('recognises E.164 and gives the last four digits', () => {
    expect(isPhoneE164('+8613800138000')).toBe(true);
    expect(isPhoneE164('8613800138000')).toBe(false);
    expect(phoneLast4('+8613800138000')).toBe('8000');
  });
});
