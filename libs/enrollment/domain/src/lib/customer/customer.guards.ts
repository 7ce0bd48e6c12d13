import { DomainError } from '@smilepay/shared/domain';
import type { CustomerState, RegisteredCustomer } from './customer.state';

export function requireRegistered(state: CustomerState): RegisteredCustomer {
  if (state.status !== 'registered') {
    throw new DomainError('customer_not_found', 'no such customer', 'not_found');
  }
  return state;
}

/** Capture is refused without a live, separate biometric consent. The application checks this before capturing. */
export function canCaptureFace(state: CustomerState): boolean {
  return state.status === 'registered' && state.consent.status === 'given';
}
