import { DomainError } from '@smilepay/shared/domain';
import type { Checkout, CheckoutState } from './checkout.state';

const ID = /^[A-Za-z0-9][A-Za-z0-9_:.-]{0,127}$/;

export function requireId(value: string, field: string): void {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new DomainError(`${field}_invalid`, `${field} must be 1-128 characters of [A-Za-z0-9_:.-]`, 'invalid', {
      field,
    });
  }
}

export function requireTime(at: Date): number {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new DomainError('time_invalid', 'the command carries no valid time');
  return ms;
}

export function requireStarted(state: CheckoutState): Checkout {
  if (state.status === 'none') throw new DomainError('checkout_not_found', 'no such checkout', 'not_found');
  return state;
}

export function unexpectedStep(state: Checkout, command: string): DomainError {
  return new DomainError(
    'unexpected_step',
    `${command} does not apply to a checkout that is ${state.status}`,
    'precondition',
    {
      status: state.status,
    },
  );
}

export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
