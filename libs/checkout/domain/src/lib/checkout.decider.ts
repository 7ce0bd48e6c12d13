import type { Decider } from '@smilepay/shared/domain';
import type { CheckoutCommand } from './checkout.commands';
import type { CheckoutEvent } from './checkout.events';
import { evolveCheckout, initialCheckoutState, type CheckoutState } from './checkout.state';
import { DEFAULT_CHECKOUT_POLICY, type CheckoutPolicy } from './policy/checkout-policy';
import { decideStartCheckout } from './decide/start';
import {
  decideProvidePhoneFactor,
  decideRecordFaceMatch,
  decideRecordLiveness,
  decideRecordPinVerification,
} from './decide/identify';
import {
  decideAuthorizePayment,
  decideCancelCheckout,
  decideCapturePayment,
  decideVoidPayment,
} from './decide/payment';
import { decideCompleteRefund, decideRequestRefund } from './decide/refund';

export const checkoutStreamId = (checkoutId: string): string => `checkout-${checkoutId}`;

/** The checkout aggregate over stream `checkout-<checkoutId>`, with its policy (credential TTL, hold, risk rules). */
export function createCheckoutDecider(
  policy: CheckoutPolicy = DEFAULT_CHECKOUT_POLICY,
): Decider<CheckoutCommand, CheckoutEvent, CheckoutState> {
  const decide = (command: CheckoutCommand, state: CheckoutState): CheckoutEvent[] => {
    switch (command.type) {
      case 'StartCheckout':
        return decideStartCheckout(command, state);
      case 'RecordLivenessVerdict':
        return decideRecordLiveness(command, state, policy);
      case 'ProvidePhoneFactor':
        return decideProvidePhoneFactor(command, state, policy);
      case 'RecordFaceMatch':
        return decideRecordFaceMatch(command, state, policy);
      case 'RecordPinVerification':
        return decideRecordPinVerification(command, state, policy);
      case 'AuthorizePayment':
        return decideAuthorizePayment(command, state, policy);
      case 'CapturePayment':
        return decideCapturePayment(command, state);
      case 'VoidPayment':
        return decideVoidPayment(command, state);
      case 'CancelCheckout':
        return decideCancelCheckout(command, state);
      case 'RequestRefund':
        return decideRequestRefund(command, state, policy);
      case 'CompleteRefund':
        return decideCompleteRefund(command, state);
      default: {
        const _exhaustive: never = command;
        return _exhaustive;
      }
    }
  };
  return { decide, evolve: evolveCheckout, initialState: initialCheckoutState };
}

export const checkoutDecider = createCheckoutDecider();
