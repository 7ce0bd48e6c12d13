import { customerDecider } from './customer.decider';
import { customerPaymentProfile, PIN_FAILURE_LIMIT } from './customer.state';
import type { CustomerEvent } from './customer.events';
import { deciderSpec } from '../testing/given-when-then';
import { CUSTOMER_ID, at, enrolledCustomer, iso, pinSet, registered } from '../testing/customer-fixtures';

const spec = deciderSpec(customerDecider, expect);
const attempt = (checkoutId: string, outcome: 'verified' | 'failed', seconds = 20) => ({
  type: 'RecordPinAttempt' as const,
  checkoutId,
  outcome,
  at: at(seconds),
});
const failures = (count: number): CustomerEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    type: 'PinAttemptFailed' as const,
    data: { customerId: CUSTOMER_ID, checkoutId: `chk_p${i + 1}`, consecutiveFailures: i + 1, failedAt: iso(10 + i) },
  }));

describe('SetPin', () => {
  it('records that a PIN exists, never the PIN or its hash', () => {
    spec
      .given([registered])
      .when({ type: 'SetPin', at: at(3) })
      .then([pinSet]);
  });

  it('unlocks a locked PIN by replacing it', () => {
    const history = [
      registered,
      pinSet,
      ...failures(PIN_FAILURE_LIMIT),
      { type: 'PinLocked' as const, data: { customerId: CUSTOMER_ID, consecutiveFailures: 5, lockedAt: iso(14) } },
    ];
    const state = [...history, { ...pinSet, data: { customerId: CUSTOMER_ID, setAt: iso(30) } }].reduce(
      customerDecider.evolve,
      customerDecider.initialState(),
    );
    expect(customerPaymentProfile(state, at(31))?.pinLocked).toBe(false);
  });

  it('refuses an unknown customer', () => {
    spec
      .given([])
      .when({ type: 'SetPin', at: at(3) })
      .thenThrows('customer_not_found');
  });
});

describe('RecordPinAttempt', () => {
  it('records a verified PIN', () => {
    spec
      .given([registered, pinSet])
      .when(attempt('chk_1', 'verified'))
      .then([
        { type: 'PinAttemptSucceeded', data: { customerId: CUSTOMER_ID, checkoutId: 'chk_1', succeededAt: iso(20) } },
      ]);
  });

  it('counts wrong PINs and locks the PIN at the limit', () => {
    spec
      .given([registered, pinSet, ...failures(PIN_FAILURE_LIMIT - 1)])
      .when(attempt('chk_x', 'failed'))
      .then([
        {
          type: 'PinAttemptFailed',
          data: {
            customerId: CUSTOMER_ID,
            checkoutId: 'chk_x',
            consecutiveFailures: PIN_FAILURE_LIMIT,
            failedAt: iso(20),
          },
        },
        {
          type: 'PinLocked',
          data: { customerId: CUSTOMER_ID, consecutiveFailures: PIN_FAILURE_LIMIT, lockedAt: iso(20) },
        },
      ]);
  });

  it('refuses attempts without a PIN or with a locked PIN', () => {
    spec.given(enrolledCustomer).when(attempt('chk_1', 'verified')).thenThrows('pin_not_set');
    const locked = {
      type: 'PinLocked' as const,
      data: { customerId: CUSTOMER_ID, consecutiveFailures: 5, lockedAt: iso(14) },
    };
    spec
      .given([registered, pinSet, ...failures(5), locked])
      .when(attempt('chk_1', 'verified'))
      .thenThrows('pin_locked');
  });

  it('does nothing for the same checkout recorded again', () => {
    spec
      .given([registered, pinSet, ...failures(1)])
      .when(attempt('chk_p1', 'failed'))
      .thenNothing();
  });
});
