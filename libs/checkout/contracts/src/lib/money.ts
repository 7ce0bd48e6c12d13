/**
 * Money crosses the wire as a decimal string of minor units ("1250" is 12.50 EUR), never as a JSON number,
 * so no client can lose precision and the ledger can parse it straight into a bigint.
 */
const minorUnitsPattern = /^(0|[1-9][0-9]{0,17})$/;

/** Currencies a terminal may charge in, with their fixed scale (digits after the decimal point). */
export const currencyScale = { EUR: 2, USD: 2, GBP: 2, CNY: 2, JPY: 0 } as const;
export type CurrencyCode = keyof typeof currencyScale;

export function isCurrencyCode(value: unknown): value is CurrencyCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(currencyScale, value);
}

/** True for a canonical decimal string of minor units: no sign, no leading zeros, no fraction, at most 18 digits. */
export function isMinorUnitsString(value: unknown): value is string {
  return typeof value === 'string' && minorUnitsPattern.test(value);
}
