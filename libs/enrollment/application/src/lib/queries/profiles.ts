import {
  customerPaymentProfile,
  customerStreamId,
  terminalProfile,
  terminalStreamId,
  type CustomerPaymentProfile,
  type TerminalProfile,
} from '@smilepay/enrollment/domain';
import type { EnrollmentDeps } from '../enrollment-deps';

/** A customer's standing for payments at `at`, read from their stream (always current, unlike a projection). */
export async function getCustomerProfile(
  deps: EnrollmentDeps,
  customerId: string,
  at: Date,
): Promise<CustomerPaymentProfile | null> {
  return customerPaymentProfile((await deps.customers.load(customerStreamId(customerId))).state, at);
}

export async function getTerminalProfile(
  deps: EnrollmentDeps,
  terminalId: string,
  at: Date,
): Promise<TerminalProfile | null> {
  return terminalProfile((await deps.terminals.load(terminalStreamId(terminalId))).state, at);
}
