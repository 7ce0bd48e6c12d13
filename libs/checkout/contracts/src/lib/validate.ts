import type { CheckoutSessionStart, PhoneDigitsAnswer, PinAnswer, PinCheckoutRequest } from './checkout-session';
import { isCurrencyCode, isMinorUnitsString } from './money';

/**
 * Structural validation of what terminals send, shared by the gateway (to refuse) and terminal SDKs (to check
 * before sending). Returns the problems found, each naming its field, rather than throwing.
 */
export type Validation<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function validateSessionStart(input: unknown): Validation<CheckoutSessionStart> {
  if (!isObject(input)) return { ok: false, problems: ['body must be an object'] };
  const problems: string[] = [];
  for (const field of ['merchantId', 'terminalId', 'idempotencyKey'] as const) {
    const value = input[field];
    if (typeof value !== 'string' || !idPattern.test(value)) problems.push(`${field} must be 1-128 characters of [A-Za-z0-9._:-]`);
  }
  if (!isMinorUnitsString(input['amountMinor']) || input['amountMinor'] === '0') {
    problems.push('amountMinor must be a positive decimal string of minor units');
  }
  if (!isCurrencyCode(input['currency'])) problems.push('currency must be one of EUR, USD, GBP, CNY, JPY');
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      merchantId: input['merchantId'] as string,
      terminalId: input['terminalId'] as string,
      amountMinor: input['amountMinor'] as string,
      currency: input['currency'] as CheckoutSessionStart['currency'],
      idempotencyKey: input['idempotencyKey'] as string,
    },
  };
}

export function validatePhoneDigits(input: unknown, digitsRequested: number): Validation<PhoneDigitsAnswer> {
  if (!isObject(input)) return { ok: false, problems: ['body must be an object'] };
  const problems: string[] = [];
  const digits = input['digits'];
  if (typeof digits !== 'string' || !/^[0-9]+$/.test(digits) || digits.length !== digitsRequested) {
    problems.push(`digits must be exactly ${digitsRequested} ASCII digits`);
  }
  const checkoutId = input['checkoutId'];
  if (checkoutId !== undefined && (typeof checkoutId !== 'string' || !idPattern.test(checkoutId))) {
    problems.push('checkoutId must be an id string');
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { checkoutId: (checkoutId as string | undefined) ?? '', digits: digits as string } };
}

/** Frame metadata (the bytes are checked by the decoder): a non-negative integer seq and a finite capture time. */
export function validateFrameMeta(input: unknown): Validation<{ seq: number; capturedAtMs: number }> {
  if (!isObject(input)) return { ok: false, problems: ['frame must be an object'] };
  const problems: string[] = [];
  const seq = input['seq'];
  const capturedAtMs = input['capturedAtMs'];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) problems.push('seq must be a non-negative integer');
  if (typeof capturedAtMs !== 'number' || !Number.isFinite(capturedAtMs) || capturedAtMs < 0) {
    problems.push('capturedAtMs must be a non-negative number');
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { seq: seq as number, capturedAtMs: capturedAtMs as number } };
}

const pinPattern = /^[0-9]{6}$/;

export function validatePinAnswer(input: unknown): Validation<PinAnswer> {
  if (!isObject(input)) return { ok: false, problems: ['body must be an object'] };
  const problems = unknownFields(input, ['pin', 'checkoutId']);
  if (typeof input['pin'] !== 'string' || !pinPattern.test(input['pin'])) problems.push('pin must be exactly 6 ASCII digits');
  const checkoutId = input['checkoutId'];
  if (checkoutId !== undefined && (typeof checkoutId !== 'string' || !idPattern.test(checkoutId))) problems.push('checkoutId must be an id string');
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { pin: input['pin'] as string, ...(checkoutId ? { checkoutId: checkoutId as string } : {}) } };
}

/** The phone number as typed: digits with an optional leading +, 6 to 16 characters (the api normalises it). */
const phoneNumberPattern = /^\+?[0-9]{6,15}$/;

export function validatePinCheckout(input: unknown): Validation<PinCheckoutRequest> {
  if (!isObject(input)) return { ok: false, problems: ['body must be an object'] };
  const problems = unknownFields(input, ['session', 'phoneNumber', 'pin']);
  const session = validateSessionStart(input['session']);
  if (!session.ok) problems.push(...session.problems.map((p) => `session: ${p}`));
  if (typeof input['phoneNumber'] !== 'string' || !phoneNumberPattern.test(input['phoneNumber'])) {
    problems.push('phoneNumber must be the whole number: 6 to 15 digits, optionally after a +');
  }
  if (typeof input['pin'] !== 'string' || !pinPattern.test(input['pin'])) problems.push('pin must be exactly 6 ASCII digits');
  if (problems.length > 0 || !session.ok) return { ok: false, problems };
  return { ok: true, value: { session: session.value, phoneNumber: input['phoneNumber'] as string, pin: input['pin'] as string } };
}

function unknownFields(input: Record<string, unknown>, known: readonly string[]): string[] {
  return Object.keys(input)
    .filter((key) => !known.includes(key))
    .map((key) => `unknown field ${JSON.stringify(key.slice(0, 40))}`);
}
