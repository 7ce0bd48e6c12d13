/**
 * A broken business rule. `code` is stable and machine-readable; HTTP layers map `kind` to a status
 * (invalid → 400, forbidden → 403, not_found → 404, conflict → 409, precondition → 412).
 */
export type DomainErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'precondition';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind = 'invalid',
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
