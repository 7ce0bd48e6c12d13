import { deciderSpec } from '../testing/given-when-then';
import { at, iso, PAYMENT_A } from '../testing/claim-fixtures';
import { claimedPaymentDecider, type ClaimedPaymentEvent } from './claimed-payment.decider';

const spec = deciderSpec(claimedPaymentDecider, expect);
const claim = (claimId: string) => ({ type: 'ClaimPayment' as const, paymentId: PAYMENT_A, claimId, at: at(0) });
const release = (claimId: string) => ({
  type: 'ReleasePaymentClaim' as const,
  paymentId: PAYMENT_A,
  claimId,
  at: at(1),
});
const claimed = (claimId: string): ClaimedPaymentEvent => ({
  type: 'PaymentClaimed',
  data: { paymentId: PAYMENT_A, claimId, claimedAt: iso(0) },
});
const released = (claimId: string): ClaimedPaymentEvent => ({
  type: 'PaymentClaimReleased',
  data: { paymentId: PAYMENT_A, claimId, releasedAt: iso(1) },
});

describe('ClaimPayment', () => {
  it('claims an unclaimed payment', () => {
    spec
      .given([])
      .when(claim('clm_1'))
      .then([claimed('clm_1')]);
  });

  it('does nothing when the same claim claims it again (a retry)', () => {
    spec
      .given([claimed('clm_1')])
      .when(claim('clm_1'))
      .thenNothing();
  });

  it('refuses a second claim on the same payment', () => {
    spec
      .given([claimed('clm_1')])
      .when(claim('clm_2'))
      .thenThrows('payment_already_claimed');
  });

  it('lets a payment released by a failed filing be claimed again', () => {
    spec
      .given([claimed('clm_1'), released('clm_1')])
      .when(claim('clm_2'))
      .then([claimed('clm_2')]);
  });
});

describe('ReleasePaymentClaim', () => {
  it('releases only the claim that holds the payment', () => {
    spec
      .given([claimed('clm_1')])
      .when(release('clm_1'))
      .then([released('clm_1')]);
    spec
      .given([claimed('clm_1')])
      .when(release('clm_2'))
      .thenNothing();
    spec.given([]).when(release('clm_1')).thenNothing();
  });
});
