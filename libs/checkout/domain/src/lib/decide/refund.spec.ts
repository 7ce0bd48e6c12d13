import { checkoutDecider } from '../checkout.decider';
import { refundableMinor, refundedMinor, type Checkout } from '../checkout.state';
import type { CheckoutEvent } from '../checkout.events';
import { DEFAULT_CHECKOUT_POLICY } from '../policy/checkout-policy';
import { deciderSpec } from '../testing/given-when-then';
import { CHECKOUT_ID, at, captured, iso, paid } from '../testing/checkout-fixtures';

const spec = deciderSpec(checkoutDecider, expect);
const REFUND_TRANSFER = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';
const request = (refundId: string, amountMinor: bigint, transferId = REFUND_TRANSFER) => ({
  type: 'RequestRefund' as const,
  refundId,
  transferId,
  amountMinor,
  at: at(100),
});
const requested = (refundId: string, amountMinor: string, transferId = REFUND_TRANSFER): CheckoutEvent => ({
  type: 'RefundRequested',
  data: { checkoutId: CHECKOUT_ID, refundId, transferId, amountMinor, requestedAt: iso(100) },
});
const refunded = (refundId: string, amountMinor: string, transferId = REFUND_TRANSFER): CheckoutEvent => ({
  type: 'PaymentRefunded',
  data: { checkoutId: CHECKOUT_ID, refundId, transferId, amountMinor, refundedAt: iso(110) },
});
const capturedHistory = [...paid, captured];

describe('RequestRefund', () => {
  it('reserves a partial or full refund of the captured amount', () => {
    spec
      .given(capturedHistory)
      .when(request('ref_1', 1000n))
      .then([requested('ref_1', '1000')]);
    spec
      .given(capturedHistory)
      .when(request('ref_1', 4250n))
      .then([requested('ref_1', '4250')]);
  });

  it('bounds refunds by captured minus refunded, counting refunds still in flight', () => {
    const history = [...capturedHistory, requested('ref_1', '3000'), refunded('ref_1', '3000')];
    spec
      .given(history)
      .when(request('ref_2', 1251n, 'd1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f'))
      .thenThrows('refund_exceeds_captured');
    spec
      .given([...capturedHistory, requested('ref_1', '3000')])
      .when(request('ref_2', 1251n, 'd1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f'))
      .thenThrows('refund_exceeds_captured');
    spec
      .given(history)
      .when(request('ref_2', 1250n, 'd1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f'))
      .then([requested('ref_2', '1250', 'd1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f')]);
  });

  it('frees the amount of a declined refund', () => {
    const declined: CheckoutEvent = {
      type: 'RefundDeclined',
      data: { checkoutId: CHECKOUT_ID, refundId: 'ref_1', reason: 'merchant_insufficient_funds', declinedAt: iso(110) },
    };
    const next = 'e1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';
    spec
      .given([...capturedHistory, requested('ref_1', '4250'), declined])
      .when(request('ref_2', 4250n, next))
      .then([requested('ref_2', '4250', next)]);
  });

  it('does nothing for the same refund again and refuses its id for another refund', () => {
    spec
      .given([...capturedHistory, requested('ref_1', '1000')])
      .when(request('ref_1', 1000n))
      .thenNothing();
    spec
      .given([...capturedHistory, requested('ref_1', '1000')])
      .when(request('ref_1', 999n))
      .thenThrows('refund_id_reused');
  });

  it('refuses a ledger transfer id already used by the payment or another refund', () => {
    spec
      .given([...capturedHistory, requested('ref_1', '1000')])
      .when(request('ref_2', 1000n))
      .thenThrows('transfer_id_reused');
    spec
      .given(capturedHistory)
      .when(request('ref_1', 1000n, captured.data.transferId))
      .thenThrows('transfer_id_reused');
  });

  it('refuses a payment that was not captured, a zero amount and too many refunds', () => {
    spec.given(paid).when(request('ref_1', 100n)).thenThrows('payment_not_captured');
    spec.given(capturedHistory).when(request('ref_1', 0n)).thenThrows('invalid_amount');
    const transfer = (i: number) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
    const many = Array.from({ length: DEFAULT_CHECKOUT_POLICY.maxRefunds }, (_, i) =>
      requested(`ref_${i}`, '1', transfer(i)),
    );
    spec
      .given([...capturedHistory, ...many])
      .when(request('ref_x', 1n))
      .thenThrows('too_many_refunds');
  });
});

describe('CompleteRefund', () => {
  const history = [...capturedHistory, requested('ref_1', '1000')];

  it('records the refund once the ledger moved the money, or its decline', () => {
    spec
      .given(history)
      .when({ type: 'CompleteRefund', refundId: 'ref_1', outcome: 'refunded', at: at(110) })
      .then([refunded('ref_1', '1000')]);
    spec
      .given(history)
      .when({ type: 'CompleteRefund', refundId: 'ref_1', outcome: 'merchant_insufficient_funds', at: at(110) })
      .then([
        {
          type: 'RefundDeclined',
          data: {
            checkoutId: CHECKOUT_ID,
            refundId: 'ref_1',
            reason: 'merchant_insufficient_funds',
            declinedAt: iso(110),
          },
        },
      ]);
  });

  it('does nothing when already refunded, and refuses an unknown refund or a contradicting outcome', () => {
    spec
      .given([...history, refunded('ref_1', '1000')])
      .when({ type: 'CompleteRefund', refundId: 'ref_1', outcome: 'refunded', at: at(120) })
      .thenNothing();
    spec
      .given(history)
      .when({ type: 'CompleteRefund', refundId: 'ref_9', outcome: 'refunded', at: at(110) })
      .thenThrows('refund_not_found');
    spec
      .given([...history, refunded('ref_1', '1000')])
      .when({ type: 'CompleteRefund', refundId: 'ref_1', outcome: 'merchant_insufficient_funds', at: at(120) })
      .thenThrows('refund_already_completed');
  });

  it('keeps the totals', () => {
    const state = [...history, refunded('ref_1', '1000'), requested('ref_2', '500')].reduce(
      checkoutDecider.evolve,
      checkoutDecider.initialState(),
    ) as Checkout;
    expect(refundedMinor(state)).toBe(1000n);
    expect(refundableMinor(state)).toBe(2750n);
  });
});
