import { LedgerError } from './errors';

/**
 * Transfer and account ids are client-chosen uuids and become stream ids, so one id must have one spelling:
 * lowercase canonical form only. The nil and max uuids are refused, as TigerBeetle refuses ids 0 and 2^128 − 1,
 * because they are what a broken client sends.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

export function isLedgerId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value) && value !== NIL_UUID && value !== MAX_UUID;
}

export function assertLedgerId(value: unknown, field: string): string {
  if (!isLedgerId(value)) {
    throw new LedgerError('invalid_id', `${field} must be a lowercase uuid (not nil, not max)`, { field });
  }
  return value;
}

/** TigerBeetle's ledger is a u32 and its code a u16; zero is refused in both (it means "unset"). */
export const MAX_LEDGER = 2 ** 32 - 1;
export const MAX_CODE = 2 ** 16 - 1;
/** A pending transfer's timeout is a u32 of seconds, as in TigerBeetle (about 136 years). */
export const MAX_TIMEOUT_SECONDS = 2 ** 32 - 1;

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

export function assertLedgerNumber(value: unknown, field = 'ledger'): number {
  if (!isIntegerIn(value, 1, MAX_LEDGER))
    throw new LedgerError('invalid_ledger', `${field} must be an integer in [1, ${MAX_LEDGER}]`, { field });
  return value;
}

export function assertCode(value: unknown, field = 'code'): number {
  if (!isIntegerIn(value, 1, MAX_CODE))
    throw new LedgerError('invalid_code', `${field} must be an integer in [1, ${MAX_CODE}]`, { field });
  return value;
}

export function assertTimeoutSeconds(value: unknown, field = 'timeoutSeconds'): number {
  if (!isIntegerIn(value, 0, MAX_TIMEOUT_SECONDS)) {
    throw new LedgerError('invalid_timeout_seconds', `${field} must be an integer in [0, ${MAX_TIMEOUT_SECONDS}]`, {
      field,
    });
  }
  return value;
}
