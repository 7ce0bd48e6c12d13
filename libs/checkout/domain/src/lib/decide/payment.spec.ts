import { checkoutDecider } from '../checkout.decider';
import { checkCredential } from './payment';
import type { AuthorizePayment } from '../checkout.commands';
import type { CheckoutEvent, DeclineReason } from '../checkout.events';
import { deciderSpec } from '../testing/given-when-then';
import {
  CHECKOUT_ID,
  TRANSFER_ID,
  WALLET_ID,
  at,
  authorized,
  captured,
  iso,
  paid,
  withCredential,
} from '../testing/checkout-fixtures';

const spec = deciderSpec(checkoutDecider, expect);
const OTHER_TRANSFER = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const authorize: AuthorizePayment = {
  type: 'AuthorizePayment',
  credentialId: 'cred_1',
  terminalId: 'ter_1',
  terminalSessionId: 'ses_1',
  transferId: TRANSFER_ID,
  walletAccountId: WALLET_ID,
  customerRiskLocked: false,
  terminalQuarantined: false,
  reservation: 'reserved',
  at: at(10),
};
const declined = (reason: DeclineReason, seconds: number, customerId: string | null = 'cus_a'): CheckoutEvent => ({
  type: 'PaymentDeclined',
  data: { checkoutId: CHECKOUT_ID, reason, customerId, fallback: null, declinedAt: iso(seconds) },
});

describe('AuthorizePayment', () => {
  describe('when a credential was issued', () => {
    it('authorizes the held amount and consumes the credential', () => {
      spec.given(withCredential).when(authorize).then([authorized]);
    });

    it('declines a customer risk locked or a terminal risk quarantined since the credential was issued', () => {
      spec
        .given(withCredential)
        .when({ ...authorize, customerRiskLocked: true, reservation: 'not_attempted' })
        .then([declined('customer_locked', 10)]);
      spec
        .given(withCredential)
        .when({ ...authorize, terminalQuarantined: true, reservation: 'not_attempted' })
        .then([declined('terminal_quarantined', 10)]);
      // A hold taken before the lock was seen is not used: the application voids it.
      spec
        .given(withCredential)
        .when({ ...authorize, customerRiskLocked: true })
        .then([declined('customer_locked', 10)]);
      spec
        .given([...withCredential, declined('customer_locked', 10)])
        .when(authorize)
        .then([declined('credential_reused', 10)]);
    });

    it('declines when the ledger could not hold the money', () => {
      spec
        .given(withCredential)
        .when({ ...authorize, reservation: 'insufficient_funds' })
        .then([declined('insufficient_funds', 10)]);
    });

    it('declines a credential presented 60 s or more after it was issued', () => {
      spec
        .given(withCredential)
        .when({ ...authorize, at: at(62) })
        .then([
          { type: 'PaymentAuthorized', data: { ...authorized.data, authorizedAt: iso(62), expiresAt: iso(62 + 900) } },
        ]);
      spec
        .given(withCredential)
        .when({ ...authorize, at: at(63) })
        .then([declined('credential_expired', 63)]);
    });

    it('declines a credential presented by another terminal or session, or a wrong credential', () => {
      spec
        .given(withCredential)
        .when({ ...authorize, terminalId: 'ter_2' })
        .then([declined('credential_invalid', 10)]);
      spec
        .given(withCredential)
        .when({ ...authorize, terminalSessionId: 'ses_2' })
        .then([declined('credential_invalid', 10)]);
      spec
        .given(withCredential)
        .when({ ...authorize, credentialId: 'cred_x' })
        .then([declined('credential_invalid', 10)]);
    });

    it('refuses to authorize without a ledger hold, and malformed ids', () => {
      spec
        .given(withCredential)
        .when({ ...authorize, reservation: 'not_attempted' })
        .thenThrows('reservation_required');
      spec
        .given(withCredential)
        .when({ ...authorize, transferId: 'not-a-uuid' })
        .thenThrows('transferId_invalid');
      spec
        .given(withCredential)
        .when({ ...authorize, walletAccountId: 'w1' })
        .thenThrows('walletAccountId_invalid');
    });
  });

  describe('when the credential was already used', () => {
    it('does nothing for the same transfer id (a retried authorization)', () => {
      spec.given(paid).when(authorize).thenNothing();
    });

    it('declines a second use as credential_reused without touching the payment', () => {
      spec
        .given(paid)
        .when({ ...authorize, transferId: OTHER_TRANSFER, at: at(20) })
        .then([declined('credential_reused', 20)]);
      const state = [...paid, declined('credential_reused', 20)].reduce(
        checkoutDecider.evolve,
        checkoutDecider.initialState(),
      );
      expect(state).toMatchObject({ status: 'authorized', rejectedReplays: 1, payment: { transferId: TRANSFER_ID } });
    });

    it('declines the reuse of a credential whose first use was declined', () => {
      const expired = [...withCredential, declined('credential_expired', 63)];
      spec
        .given(expired)
        .when({ ...authorize, at: at(64) })
        .then([declined('credential_reused', 64)]);
    });
  });

  it('refuses when no credential was issued', () => {
    spec.given(withCredential.slice(0, 4)).when(authorize).thenThrows('credential_not_issued');
  });

  it('tells the application before it reserves money whether the credential would be accepted', () => {
    const state = withCredential.reduce(checkoutDecider.evolve, checkoutDecider.initialState());
    expect(checkCredential(state, authorize).kind).toBe('valid');
    expect(checkCredential(state, { ...authorize, at: at(70) })).toEqual({
      kind: 'decline',
      reason: 'credential_expired',
    });
    const paidState = paid.reduce(checkoutDecider.evolve, checkoutDecider.initialState());
    expect(checkCredential(paidState, authorize)).toEqual({ kind: 'retry' });
    expect(checkCredential(paidState, { ...authorize, transferId: OTHER_TRANSFER })).toEqual({
      kind: 'decline',
      reason: 'credential_reused',
    });
  });
});

describe('CapturePayment', () => {
  it('captures the authorized amount, or less', () => {
    spec
      .given(paid)
      .when({ type: 'CapturePayment', at: at(20) })
      .then([captured]);
    spec
      .given(paid)
      .when({ type: 'CapturePayment', amountMinor: 4000n, at: at(20) })
      .then([{ type: 'PaymentCaptured', data: { ...captured.data, amountMinor: '4000' } }]);
  });

  it('does nothing for the same capture again', () => {
    spec
      .given([...paid, captured])
      .when({ type: 'CapturePayment', at: at(30) })
      .thenNothing();
  });

  it('refuses more than authorized, another amount after capture, a voided or expired payment', () => {
    spec
      .given(paid)
      .when({ type: 'CapturePayment', amountMinor: 4251n, at: at(20) })
      .thenThrows('capture_exceeds_authorization');
    spec
      .given([...paid, captured])
      .when({ type: 'CapturePayment', amountMinor: 100n, at: at(30) })
      .thenThrows('payment_already_captured');
    const voided: CheckoutEvent = {
      type: 'PaymentVoided',
      data: { checkoutId: CHECKOUT_ID, transferId: TRANSFER_ID, reason: 'cancelled', voidedAt: iso(15) },
    };
    spec
      .given([...paid, voided])
      .when({ type: 'CapturePayment', at: at(20) })
      .thenThrows('payment_voided');
    spec
      .given(paid)
      .when({ type: 'CapturePayment', at: at(10 + 900) })
      .thenThrows('authorization_expired');
    spec
      .given(withCredential)
      .when({ type: 'CapturePayment', at: at(20) })
      .thenThrows('payment_not_authorized');
  });
});

describe('VoidPayment', () => {
  const voided: CheckoutEvent = {
    type: 'PaymentVoided',
    data: { checkoutId: CHECKOUT_ID, transferId: TRANSFER_ID, reason: 'cancelled', voidedAt: iso(15) },
  };

  it('voids an authorized payment, once', () => {
    spec
      .given(paid)
      .when({ type: 'VoidPayment', reason: 'cancelled', at: at(15) })
      .then([voided]);
    spec
      .given([...paid, voided])
      .when({ type: 'VoidPayment', reason: 'cancelled', at: at(16) })
      .thenNothing();
  });

  it('refuses to void a captured payment or one never authorized', () => {
    spec
      .given([...paid, captured])
      .when({ type: 'VoidPayment', reason: 'cancelled', at: at(30) })
      .thenThrows('payment_captured');
    spec
      .given(withCredential)
      .when({ type: 'VoidPayment', reason: 'cancelled', at: at(30) })
      .thenThrows('payment_not_authorized');
  });
});

describe('CancelCheckout', () => {
  const cancelled: CheckoutEvent = {
    type: 'CheckoutCancelled',
    data: { checkoutId: CHECKOUT_ID, reason: 'timed_out', cancelledAt: iso(120) },
  };

  it('cancels a checkout before payment, once', () => {
    spec
      .given(withCredential)
      .when({ type: 'CancelCheckout', reason: 'timed_out', at: at(120) })
      .then([cancelled]);
    spec
      .given([...withCredential, cancelled])
      .when({ type: 'CancelCheckout', reason: 'timed_out', at: at(130) })
      .thenNothing();
  });

  it('refuses to cancel an authorized payment', () => {
    spec
      .given(paid)
      .when({ type: 'CancelCheckout', reason: 'cancelled_by_terminal', at: at(30) })
      .thenThrows('payment_authorized');
  });
});
