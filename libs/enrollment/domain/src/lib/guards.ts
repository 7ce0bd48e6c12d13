import { DomainError } from '@smilepay/shared/domain';

/** Small validators shared by the enrollment deciders. Each throws a DomainError with a stable code. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_:.-]{0,127}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export function requireId(value: string, field: string): void {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new DomainError(`${field}_invalid`, `${field} must be 1-128 characters of [A-Za-z0-9_:.-]`, 'invalid', {
      field,
    });
  }
}

export function requireText(value: string, field: string, maxLength: number): void {
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
}

export function requireSha256Hex(value: string, field: string): void {
  if (typeof value !== 'string' || !SHA256_HEX.test(value)) {
    throw new DomainError(`${field}_invalid`, `${field} must be a lowercase hex SHA-256 digest`, 'invalid', { field });
  }
}

export function requireTime(at: Date): number {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new DomainError('time_invalid', 'the command carries no valid time');
  return ms;
}

export function requireUnitInterval(value: number, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new DomainError(`${field}_invalid`, `${field} must be a number in [0, 1]`, 'invalid', { field });
  }
}

export function requireSimilarity(value: number, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < -1 || value > 1) {
    throw new DomainError(`${field}_invalid`, `${field} must be a cosine similarity in [-1, 1]`, 'invalid', { field });
  }
}
