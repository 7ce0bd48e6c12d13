import { customerDecider } from './customer.decider';
import { customerPaymentProfile } from './customer.state';
import type { CustomerEvent } from './customer.events';
import { deciderSpec } from '../testing/given-when-then';
import { FACE_LOCKOUT_BASE_COOLDOWN_MS } from '../lockout/lockout';
import { CUSTOMER_ID, at, enrolledCustomer, faceFailures, iso, registered } from '../testing/customer-fixtures';

const spec = deciderSpec(customerDecider, expect);
const fail = (checkoutId: string, seconds: number, livenessEnabled = false) => ({
  type: 'RecordFaceAttemptFailed' as const,
  checkoutId,
  terminalId: 'ter_1',
  reason: 'no_match' as const,
  livenessEnabled,
  at: at(seconds),
});
const succeed = (checkoutId: string, seconds: number) => ({
  type: 'RecordFaceAttemptSucceeded' as const,
  checkoutId,
  terminalId: 'ter_1',
  at: at(seconds),
});
const failed = (checkoutId: string, consecutiveFailures: number, seconds: number): CustomerEvent => ({
  type: 'FaceAttemptFailed',
  data: {
    customerId: CUSTOMER_ID,
    checkoutId,
    terminalId: 'ter_1',
    reason: 'no_match',
    consecutiveFailures,
    failedAt: iso(seconds),
  },
});
const locked = (consecutiveFailures: number, seconds: number, cooldownMs: number): CustomerEvent => ({
  type: 'FacePaymentLocked',
  data: {
    customerId: CUSTOMER_ID,
    consecutiveFailures,
    cooldownMs,
    lockedUntil: new Date(at(seconds).getTime() + cooldownMs).toISOString(),
    lockedAt: iso(seconds),
  },
});
const cooldownS = FACE_LOCKOUT_BASE_COOLDOWN_MS / 1000;

describe('RecordFaceAttemptFailed', () => {
  describe('when below the limit', () => {
    it('counts the consecutive failure', () => {
      spec
        .given(enrolledCustomer)
        .when(fail('chk_x', 20))
        .then([failed('chk_x', 1, 20)]);
    });

    it('does nothing when the same checkout is recorded again (a retry)', () => {
      spec
        .given([...enrolledCustomer, ...faceFailures(1)])
        .when(fail('chk_f1', 30))
        .thenNothing();
    });
  });

  describe('when the failure reaches the limit', () => {
    it('locks face payment after the 5th failure without liveness', () => {
      spec
        .given([...enrolledCustomer, ...faceFailures(4)])
        .when(fail('chk_x', 20))
        .then([failed('chk_x', 5, 20), locked(5, 20, FACE_LOCKOUT_BASE_COOLDOWN_MS)]);
    });

    it('allows 10 failures when liveness is on', () => {
      spec
        .given([...enrolledCustomer, ...faceFailures(5)])
        .when(fail('chk_x', 20, true))
        .then([failed('chk_x', 6, 20)]);
      spec
        .given([...enrolledCustomer, ...faceFailures(9)])
        .when(fail('chk_x', 20, true))
        .then([failed('chk_x', 10, 20), locked(10, 20, FACE_LOCKOUT_BASE_COOLDOWN_MS)]);
    });
  });

  describe('when locked', () => {
    const lockedHistory = [...enrolledCustomer, ...faceFailures(5), locked(5, 14, FACE_LOCKOUT_BASE_COOLDOWN_MS)];

    it('refuses an attempt during the cooldown', () => {
      spec.given(lockedHistory).when(fail('chk_x', 20)).thenThrows('face_payment_locked');
      spec.given(lockedHistory).when(succeed('chk_x', 20)).thenThrows('face_payment_locked');
    });

    it('after the cooldown, records the unlock, and the next failure locks again for twice as long', () => {
      const t = 14 + cooldownS;
      spec
        .given(lockedHistory)
        .when(fail('chk_x', t))
        .then([
          {
            type: 'FacePaymentUnlocked',
            data: { customerId: CUSTOMER_ID, reason: 'cooldown_elapsed', unlockedAt: iso(t) },
          },
          failed('chk_x', 6, t),
          locked(6, t, 2 * FACE_LOCKOUT_BASE_COOLDOWN_MS),
        ]);
    });

    it('shows the customer as locked to checkout until the cooldown ends', () => {
      const state = lockedHistory.reduce(customerDecider.evolve, customerDecider.initialState());
      expect(customerPaymentProfile(state, at(20))?.faceLocked).toBe(true);
      expect(customerPaymentProfile(state, at(14 + cooldownS))?.faceLocked).toBe(false);
    });
  });

  it('refuses an attempt for a customer with no face', () => {
    spec.given([registered]).when(fail('chk_x', 20)).thenThrows('face_not_enrolled');
  });
});

describe('RecordFaceAttemptSucceeded', () => {
  it('records the success, which resets the failure count', () => {
    const success = {
      type: 'FaceAttemptSucceeded' as const,
      data: { customerId: CUSTOMER_ID, checkoutId: 'chk_ok', terminalId: 'ter_1', succeededAt: iso(20) },
    };
    spec
      .given([...enrolledCustomer, ...faceFailures(4)])
      .when(succeed('chk_ok', 20))
      .then([success]);
    spec
      .given([...enrolledCustomer, ...faceFailures(4), success])
      .when(fail('chk_x', 30))
      .then([failed('chk_x', 1, 30)]);
  });

  it('does nothing for a checkout already recorded', () => {
    spec
      .given([...enrolledCustomer, ...faceFailures(1)])
      .when(succeed('chk_f1', 20))
      .thenNothing();
  });
});

describe('UnlockFacePayment', () => {
  const lockedHistory = [...enrolledCustomer, ...faceFailures(5), locked(5, 14, FACE_LOCKOUT_BASE_COOLDOWN_MS)];
  const unlock = (reason: 'analyst' | 'cooldown_elapsed', seconds: number) => ({
    type: 'UnlockFacePayment' as const,
    reason,
    at: at(seconds),
  });
  const unlocked = (reason: 'analyst' | 'cooldown_elapsed', seconds: number): CustomerEvent => ({
    type: 'FacePaymentUnlocked',
    data: { customerId: CUSTOMER_ID, reason, unlockedAt: iso(seconds) },
  });

  it('lets an analyst unlock at once, forgiving the failures', () => {
    spec
      .given(lockedHistory)
      .when(unlock('analyst', 20))
      .then([unlocked('analyst', 20)]);
    spec
      .given([...lockedHistory, unlocked('analyst', 20)])
      .when(fail('chk_x', 30))
      .then([failed('chk_x', 1, 30)]);
  });

  it('unlocks for an elapsed cooldown, and refuses before it ends', () => {
    spec
      .given(lockedHistory)
      .when(unlock('cooldown_elapsed', 14 + cooldownS))
      .then([unlocked('cooldown_elapsed', 14 + cooldownS)]);
    spec.given(lockedHistory).when(unlock('cooldown_elapsed', 20)).thenThrows('cooldown_not_elapsed');
  });

  it('does nothing when not locked', () => {
    spec.given(enrolledCustomer).when(unlock('analyst', 20)).thenNothing();
    spec.given(enrolledCustomer).when(unlock('cooldown_elapsed', 20)).thenNothing();
  });
});
