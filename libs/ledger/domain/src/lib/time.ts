import { LedgerError } from './errors';
import type { IsoTime } from './events';

/**
 * Times arrive in commands as ISO-8601 UTC strings. Only the canonical `toISOString()` spelling is accepted, so one
 * instant has one spelling (fingerprints compare bytes) and an impossible date such as Feb 30 is refused.
 * Converting between a given instant and its spelling is not reading a clock: the domain never asks for "now".
 */
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The last spelling accepted and its instant: one command checks the same timestamp several times (validation,
 * deadlines, each decide attempt), and a memo of one valid pair changes no answer.
 */
let lastAccepted = { value: '1970-01-01T00:00:00.000Z', millis: 0 };

export function parseIsoTime(value: unknown, field: string): number {
  if (value === lastAccepted.value) return lastAccepted.millis;
  const millis = typeof value === 'string' && CANONICAL_ISO.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(millis) || new Date(millis).toISOString() !== value) {
    throw new LedgerError('invalid_time', `${field} must be an ISO-8601 UTC time like 2025-01-31T12:00:00.000Z`, {
      field,
    });
  }
  lastAccepted = { value: value as string, millis };
  return millis;
}

export function addSeconds(time: IsoTime, seconds: number): IsoTime {
  return new Date(parseIsoTime(time, 'time') + seconds * 1000).toISOString();
}

/** True when `now` is at or after `deadline`. */
export function isAtOrAfter(now: IsoTime, deadline: IsoTime): boolean {
  return parseIsoTime(now, 'now') >= parseIsoTime(deadline, 'deadline');
}
