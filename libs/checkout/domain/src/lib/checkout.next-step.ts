import type { DeclineReason, PhoneDigits, PhoneFactorReason, PinReason } from './checkout.events';
import type { CheckoutState } from './checkout.state';

/** What a checkout waits for next: what the terminal should show, derived from the state alone. */
export type CheckoutStep =
  | { next: 'liveness' }
  | { next: 'phone'; digits: PhoneDigits; reason: PhoneFactorReason }
  | { next: 'face_match' }
  | { next: 'pin'; reason: PinReason }
  | { next: 'authorize'; credentialId: string; customerId: string; expiresAt: string }
  | { next: 'capture'; transferId: string; expiresAt: string }
  | { next: 'done'; status: 'captured' | 'voided' | 'cancelled' }
  | { next: 'declined'; reason: DeclineReason; fallback: 'phone_pin' | null };

export function nextStep(state: CheckoutState): CheckoutStep | null {
  switch (state.status) {
    case 'none':
      return null;
    case 'awaiting_liveness':
      return { next: 'liveness' };
    case 'awaiting_phone':
      return state.phoneFactor === null
        ? null
        : { next: 'phone', digits: state.phoneFactor.requestedDigits, reason: state.phoneFactor.reason };
    case 'matching':
      return { next: 'face_match' };
    case 'awaiting_pin':
      return state.pin === null ? null : { next: 'pin', reason: state.pin.reason };
    case 'credential_issued': {
      const c = state.credential;
      return c === null
        ? null
        : {
            next: 'authorize',
            credentialId: c.credentialId,
            customerId: c.customerId,
            expiresAt: new Date(c.expiresAtMs).toISOString(),
          };
    }
    case 'authorized':
      return state.payment === null
        ? null
        : {
            next: 'capture',
            transferId: state.payment.transferId,
            expiresAt: new Date(state.payment.expiresAtMs).toISOString(),
          };
    case 'captured':
    case 'voided':
    case 'cancelled':
      return { next: 'done', status: state.status };
    case 'declined':
      return { next: 'declined', reason: state.declineReason ?? 'no_match', fallback: state.declineFallback };
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}
