import { currencyScale, isCurrencyCode } from '@smilepay/checkout/contracts';

/**
 * Money arrives as a decimal string of minor units and is only ever handled as a string or a bigint here: a JS
 * number loses precision above 2^53 minor units, and the ledger never does.
 */
const signedMinorPattern = /^-?(0|[1-9][0-9]*)$/;
const maxMinorDigits = 18;

/** The number of digits after the decimal point for a currency, or null when the currency is not one we know. */
export function scaleOf(currency: string): number | null {
  return isCurrencyCode(currency) ? currencyScale[currency] : null;
}

/** '1234567' → '1,234,567' (ASCII digits only). */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Formats minor units for people: ('123456', 'EUR') → '1,234.56 EUR', ('1500', 'JPY') → '1,500 JPY'.
 * A malformed amount or an unknown currency is shown as such rather than guessed at.
 */
export function formatMinor(amountMinor: string, currency: string): string {
  if (!signedMinorPattern.test(amountMinor)) return `invalid amount (${amountMinor.slice(0, 24)})`;
  const scale = scaleOf(currency);
  if (scale === null) return `${amountMinor} minor units of ${currency || 'an unknown currency'}`;
  const negative = amountMinor.startsWith('-');
  const digits = (negative ? amountMinor.slice(1) : amountMinor).padStart(scale + 1, '0');
  const whole = groupThousands(digits.slice(0, digits.length - scale));
  const fraction = scale > 0 ? '.' + digits.slice(digits.length - scale) : '';
  return `${negative && digits !== '0'.repeat(digits.length) ? '-' : ''}${whole}${fraction} ${currency}`;
}

export type ParsedAmount = { ok: true; amountMinor: string } | { ok: false; error: string };

/**
 * Reads an amount typed in major units ('12.5' EUR → '1250') without passing through a float.
 * Accepts digits with an optional decimal point and at most the currency's scale of decimals; commas and spaces
 * used as thousands separators are ignored. Zero and negative amounts are refused.
 */
export function parseMajorToMinor(input: string, currency: string): ParsedAmount {
  const scale = scaleOf(currency);
  if (scale === null) return { ok: false, error: `unknown currency ${currency}` };
  const cleaned = input.trim().replace(/[,\s]/g, '');
  const pattern = scale === 0 ? /^(\d+)$/ : new RegExp(`^(\\d*)(?:\\.(\\d{0,${scale}}))?$`);
  const match = pattern.exec(cleaned);
  if (!match || cleaned === '' || cleaned === '.') {
    return { ok: false, error: scale === 0 ? 'enter a whole amount' : `enter an amount with at most ${scale} decimals` };
  }
  const whole = match[1] || '0';
  const fraction = (match[2] ?? '').padEnd(scale, '0');
  const amountMinor = BigInt(whole + fraction).toString();
  if (amountMinor === '0') return { ok: false, error: 'the amount must be more than zero' };
  if (amountMinor.length > maxMinorDigits) return { ok: false, error: 'the amount is too large' };
  return { ok: true, amountMinor };
}

/** The amount in major units as typed into a form, the inverse of parseMajorToMinor: ('1250', 'EUR') → '12.50'. */
export function minorToMajorInput(amountMinor: string, currency: string): string {
  const scale = scaleOf(currency);
  if (scale === null || !signedMinorPattern.test(amountMinor)) return '';
  const digits = amountMinor.replace('-', '').padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  return scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole;
}

/** Compares two minor-unit strings exactly: negative, zero or positive like a sort comparator. */
export function compareMinor(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}
