import { checkoutDecider } from './checkout.decider';
import { nextStep } from './checkout.next-step';
import type { CheckoutEvent } from './checkout.events';
import {
  CHECKOUT_ID,
  authorized,
  awaitingMatch,
  captured,
  iso,
  live,
  phoneRequested,
  started,
  withCredential,
} from './testing/checkout-fixtures';

const stepAfter = (events: CheckoutEvent[]) =>
  nextStep(events.reduce(checkoutDecider.evolve, checkoutDecider.initialState()));

describe('nextStep', () => {
  it('follows the checkout from start to capture', () => {
    expect(stepAfter([])).toBeNull();
    expect(stepAfter([started])).toEqual({ next: 'liveness' });
    expect(stepAfter([started, live, phoneRequested(4, 'regular_check')])).toEqual({
      next: 'phone',
      digits: 4,
      reason: 'regular_check',
    });
    expect(stepAfter(awaitingMatch)).toEqual({ next: 'face_match' });
    expect(stepAfter(withCredential)).toEqual({
      next: 'authorize',
      credentialId: 'cred_1',
      customerId: 'cus_a',
      expiresAt: iso(63),
    });
    expect(stepAfter([...withCredential, authorized])).toEqual({
      next: 'capture',
      transferId: authorized.data.transferId,
      expiresAt: authorized.data.expiresAt,
    });
    expect(stepAfter([...withCredential, authorized, captured])).toEqual({ next: 'done', status: 'captured' });
  });

  it('tells a declined terminal what to offer instead', () => {
    const declined: CheckoutEvent = {
      type: 'PaymentDeclined',
      data: { checkoutId: CHECKOUT_ID, reason: 'spoof', customerId: null, fallback: 'phone_pin', declinedAt: iso(1) },
    };
    expect(stepAfter([started, declined])).toEqual({ next: 'declined', reason: 'spoof', fallback: 'phone_pin' });
  });
});
