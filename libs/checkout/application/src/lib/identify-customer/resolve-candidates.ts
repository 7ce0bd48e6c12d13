import { DomainError } from '@smilepay/shared/domain';
import { normalizePhoneE164 } from '@smilepay/enrollment/domain';
import type { PhoneDigits } from '@smilepay/checkout/domain';
import type { CheckoutDeps } from '../checkout-deps';

/**
 * Turns the digits typed at the terminal into the few customers to match against (docs: the risk policy):
 * - 11 (the full number): everyone registered with that number (a shared phone gives a few);
 * - 4: the terminal's regulars whose number ends with those digits;
 * - 0: the terminal's regulars (the low-risk rule keeps them few).
 * The digits are used for this lookup only: they are never stored or logged.
 */
export async function resolveCandidates(
  deps: Pick<CheckoutDeps, 'phones' | 'policy' | 'defaultCountryCode'>,
  requested: PhoneDigits,
  typed: string,
  regularCustomerIds: readonly string[],
): Promise<string[]> {
  const max = deps.policy.maxCandidates;
  if (typeof typed !== 'string' || typed.length > 32)
    throw new DomainError('phone_digits_invalid', 'the phone digits are not valid');
  if (requested === 11) {
    const phoneE164 = normalizePhoneE164(typed, deps.defaultCountryCode);
    // A malformed number matches nobody: the decider declines it as a phone mismatch, like an unknown number.
    return phoneE164 === null ? [] : (await deps.phones.customersByPhone(phoneE164)).slice(0, max);
  }
  if (requested === 4) {
    if (!/^\d{4}$/.test(typed)) throw new DomainError('phone_digits_invalid', 'type exactly the last 4 digits');
    return (await deps.phones.customersByLast4(typed, regularCustomerIds)).slice(0, max);
  }
  if (typed !== '') throw new DomainError('phone_digits_invalid', 'no digits were asked for');
  return regularCustomerIds.slice(0, max);
}
