/**
 * Phone numbers are the customer's half of the 1:few match: the phone narrows the gallery to the templates of the
 * account(s) behind it. They are stored as E.164 ("+" then 8 to 15 digits, no leading zero in the country code).
 */
const E164 = /^\+[1-9]\d{7,14}$/;
const SEPARATORS = /[\s\-.()]/g;

/**
 * Normalises what a person typed into E.164, or returns null. A number without "+" or "00" is taken as national and
 * gets `defaultCountryCode` (digits only, e.g. "86"); a national trunk prefix "0" is dropped, as when dialling from
 * abroad.
 */
export function normalizePhoneE164(raw: string, defaultCountryCode?: string): string | null {
  if (typeof raw !== 'string' || raw.length > 32) return null;
  let value = raw.trim().replace(SEPARATORS, '');
  if (value.startsWith('00')) value = `+${value.slice(2)}`;
  if (!value.startsWith('+')) {
    if (defaultCountryCode === undefined || !/^[1-9]\d{0,2}$/.test(defaultCountryCode)) return null;
    value = `+${defaultCountryCode}${value.replace(/^0/, '')}`;
  }
  return E164.test(value) ? value : null;
}

export function isPhoneE164(value: string): boolean {
  return E164.test(value);
}

/** The last four digits, which regulars type at terminals they know. */
export function phoneLast4(phoneE164: string): string {
  return phoneE164.slice(-4);
}
