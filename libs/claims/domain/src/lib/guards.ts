import { DomainError } from '@smilepay/shared/domain';

/** Small validators shared by the claims deciders. Each throws a DomainError with a stable code. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_:.-]{0,127}$/;

export function requireId(value: string, field: string): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new DomainError(`${field}_invalid`, `${field} must be 1-128 characters of [A-Za-z0-9_:.-]`, 'invalid', {
      field,
    });
  }
  return value;
}

export function requireText(value: string, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > maxLength) {
    throw new DomainError(
      `${field}_invalid`,
      `${field} must be non-empty text of at most ${maxLength} characters`,
      'invalid',
      {
        field,
      },
    );
  }
  return value;
}

export function requireTime(at: Date): string {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new DomainError('time_invalid', 'the command carries no valid time');
  return new Date(ms).toISOString();
}
