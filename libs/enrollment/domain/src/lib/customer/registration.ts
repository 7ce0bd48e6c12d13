import { DomainError } from '@smilepay/shared/domain';
import { isPhoneE164 } from '../phone-number';
import { requireId, requireSha256Hex, requireText, requireTime } from '../guards';
import type { GiveBiometricConsent, RegisterCustomer } from './customer.commands';
import type { CustomerEvent } from './customer.events';
import type { CustomerState } from './customer.state';
import { requireRegistered } from './customer.guards';

/** Longest retention a consent may grant: the purge job enforces whatever shorter term the config sets. */
export const MAX_RETENTION_TERM_DAYS = 3_650;

export function decideRegisterCustomer(command: RegisterCustomer, state: CustomerState): CustomerEvent[] {
  requireId(command.customerId, 'customerId');
  requireId(command.walletAccountId, 'walletAccountId');
  if (!isPhoneE164(command.phoneE164)) {
    throw new DomainError('phone_invalid', 'the phone number is not in E.164 form');
  }
  const at = requireTime(command.at);
  if (state.status === 'registered') {
    const same =
      state.customerId === command.customerId &&
      state.phoneE164 === command.phoneE164 &&
      state.walletAccountId === command.walletAccountId;
    if (same) return [];
    throw new DomainError(
      'customer_already_registered',
      'this customer is already registered with other details',
      'conflict',
    );
  }
  return [
    {
      type: 'CustomerRegistered',
      data: {
        customerId: command.customerId,
        phoneE164: command.phoneE164,
        walletAccountId: command.walletAccountId,
        registeredAt: new Date(at).toISOString(),
      },
    },
  ];
}

export function decideGiveBiometricConsent(command: GiveBiometricConsent, state: CustomerState): CustomerEvent[] {
  const customer = requireRegistered(state);
  requireText(command.consentTextVersion, 'consentTextVersion', 64);
  requireSha256Hex(command.consentTextSha256, 'consentTextSha256');
  requireText(command.purpose, 'purpose', 500);
  const term = command.retentionTermDays;
  if (!Number.isInteger(term) || term < 1 || term > MAX_RETENTION_TERM_DAYS) {
    throw new DomainError(
      'retentionTermDays_invalid',
      `retentionTermDays must be an integer in [1, ${MAX_RETENTION_TERM_DAYS}]`,
    );
  }
  const at = requireTime(command.at);
  const current = customer.consent;
  if (
    current.status === 'given' &&
    current.consentTextVersion === command.consentTextVersion &&
    current.consentTextSha256 === command.consentTextSha256 &&
    current.purpose === command.purpose &&
    current.retentionTermDays === term
  ) {
    return [];
  }
  return [
    {
      type: 'BiometricConsentGiven',
      data: {
        customerId: customer.customerId,
        consentTextVersion: command.consentTextVersion,
        consentTextSha256: command.consentTextSha256,
        purpose: command.purpose,
        retentionTermDays: term,
        givenAt: new Date(at).toISOString(),
      },
    },
  ];
}
