/**
 * ITU-T E.164 country codes with one or two digits; every other code has three. The codes are prefix-free, so this
 * short list is enough to find where the national number starts.
 */
const ONE_DIGIT = new Set(['1', '7']);
const TWO_DIGITS = new Set(
  '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(' '),
);
const E164 = /^\+[1-9]\d{7,14}$/;
/** Always the same number of dots, so the mask does not tell how long the number is. */
const MASK = '•••••';

export function countryCodeOf(phoneE164: string): string {
  const digits = phoneE164.slice(1);
  if (ONE_DIGIT.has(digits[0])) return digits.slice(0, 1);
  if (TWO_DIGITS.has(digits.slice(0, 2))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}

/** '+8613800138000' → '+86•••••8000'. Anything that is not E.164 is masked entirely. */
export function maskPhone(phoneE164: string): string {
  if (!E164.test(phoneE164)) return MASK;
  return `+${countryCodeOf(phoneE164)}${MASK}${phoneE164.slice(-4)}`;
}

export function phoneLast4Of(phoneE164: string): string {
  return E164.test(phoneE164) ? phoneE164.slice(-4) : '';
}
