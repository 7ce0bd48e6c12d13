import { LedgerError } from './errors';

/**
 * Money is an integer count of minor units: `bigint` in code, a decimal string of minor units in events and on the
 * wire ("1050" is 10.50 EUR). Each currency has a fixed scale, so a minor-unit amount is never ambiguous.
 */
export const CURRENCY_SCALES = { EUR: 2, USD: 2, GBP: 2, CNY: 2, JPY: 0 } as const;
export type CurrencyCode = keyof typeof CURRENCY_SCALES;
export const CURRENCIES = Object.keys(CURRENCY_SCALES) as CurrencyCode[];

/**
 * Largest amount of one transfer: 2^63 − 1, so that every amount also fits a signed 64-bit SQL integer and a
 * decimal string of at most 19 digits (the parser can refuse longer input before building a bigint).
 */
export const MAX_AMOUNT_MINOR = 2n ** 63n - 1n;
const MAX_AMOUNT_DIGITS = MAX_AMOUNT_MINOR.toString().length;

export class InvalidAmountError extends LedgerError {
  constructor(input: unknown, reason: string) {
    super('invalid_amount', `invalid amount ${describe(input)}: ${reason}`, { reason });
    this.name = 'InvalidAmountError';
  }
}

export class UnsupportedCurrencyError extends LedgerError {
  constructor(input: unknown) {
    super('unsupported_currency', `unsupported currency ${describe(input)}`, { supported: CURRENCIES });
    this.name = 'UnsupportedCurrencyError';
  }
}

export function isCurrency(value: unknown): value is CurrencyCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CURRENCY_SCALES, value);
}

export function parseCurrency(value: unknown): CurrencyCode {
  if (!isCurrency(value)) throw new UnsupportedCurrencyError(value);
  return value;
}

export function currencyScale(currency: CurrencyCode): number {
  return CURRENCY_SCALES[currency];
}

export interface ParseMinorOptions {
  /** Balances may be zero; transfer amounts may not (the default). */
  allowZero?: boolean;
}

/**
 * Strict parse of a minor-unit decimal string: ASCII digits only (no sign, no decimal point, no exponent, no
 * whitespace), no leading zeros, at most MAX_AMOUNT_MINOR. Strict because the same amount must always have the
 * same spelling: fingerprints and hash chains compare bytes, not values.
 */
export function parseMinor(input: unknown, options: ParseMinorOptions = {}): bigint {
  if (typeof input !== 'string') throw new InvalidAmountError(input, 'must be a decimal string of minor units');
  if (!/^[0-9]+$/.test(input)) throw new InvalidAmountError(input, 'digits only (no sign, point or spaces)');
  if (input.length > 1 && input.startsWith('0')) throw new InvalidAmountError(input, 'no leading zeros');
  if (input.length > MAX_AMOUNT_DIGITS) throw new InvalidAmountError(input, 'too large');
  const value = BigInt(input);
  assertAmountInRange(value, options);
  return value;
}

/** Checks a bigint amount against the same limits as parseMinor. */
export function assertAmountInRange(value: bigint, options: ParseMinorOptions = {}): bigint {
  if (value < 0n) throw new InvalidAmountError(value.toString(), 'must not be negative');
  if (value === 0n && !options.allowZero) throw new InvalidAmountError('0', 'must be greater than zero');
  if (value > MAX_AMOUNT_MINOR) throw new InvalidAmountError(value.toString(), 'too large');
  return value;
}

/** The event/wire spelling of a minor-unit amount. Balances may be negative (external accounts), so a sign is kept. */
export function formatMinor(value: bigint): string {
  return value.toString();
}

/** Human display in major units with the currency's scale: formatMajor(1050n, 'EUR') === '10.50'. */
export function formatMajor(value: bigint, currency: CurrencyCode): string {
  const scale = currencyScale(currency);
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString();
  if (scale === 0) return sign + digits;
  const padded = digits.padStart(scale + 1, '0');
  return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

/**
 * Parses a major-unit string with at most the currency's scale ("10.5" or "10.50" EUR → 1050n). For forms and
 * terminals that show prices; events and the API use minor units.
 */
export function parseMajor(input: unknown, currency: CurrencyCode, options: ParseMinorOptions = {}): bigint {
  const scale = currencyScale(currency);
  if (typeof input !== 'string') throw new InvalidAmountError(input, 'must be a decimal string');
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(input);
  if (!match) throw new InvalidAmountError(input, 'expected digits with an optional decimal point');
  const [, whole, fraction = ''] = match;
  if (fraction.length > scale) throw new InvalidAmountError(input, `${currency} has ${scale} decimal places`);
  if (whole.length > MAX_AMOUNT_DIGITS) throw new InvalidAmountError(input, 'too large');
  const value = BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0') || '0');
  return assertAmountInRange(value, options);
}

function describe(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
  if (typeof input === 'bigint') return `${input}n`;
  return typeof input;
}
