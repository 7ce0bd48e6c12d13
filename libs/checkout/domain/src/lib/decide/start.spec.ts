import { checkoutDecider } from '../checkout.decider';
import type { StartCheckout } from '../checkout.commands';
import type { CheckoutEvent } from '../checkout.events';
import { deciderSpec } from '../testing/given-when-then';
import { CHECKOUT_ID, at, iso, started } from '../testing/checkout-fixtures';

const spec = deciderSpec(checkoutDecider, expect);
const start: StartCheckout = {
  type: 'StartCheckout',
  checkoutId: CHECKOUT_ID,
  merchantId: 'mer_1',
  merchantAccountId: 'acc_mer_1',
  terminalId: 'ter_1',
  terminalSessionId: 'ses_1',
  amountMinor: 4250n,
  currency: 'EUR',
  idempotencyKey: 'key-1',
  method: 'face',
  terminalFaceLocked: false,
  terminalQuarantined: false,
  at: at(0),
};

describe('StartCheckout', () => {
  describe('when the checkout is new', () => {
    it('starts a face checkout with the amount as a decimal string of minor units', () => {
      spec.given([]).when(start).then([started]);
    });

    it('asks a PIN checkout for the whole phone number at once', () => {
      spec
        .given([])
        .when({ ...start, method: 'phone_pin' })
        .then([
          { ...started, data: { ...started.data, method: 'phone_pin' } },
          {
            type: 'PhoneFactorRequested',
            data: { checkoutId: CHECKOUT_ID, digits: 11, reason: 'pin_method', requestedAt: iso(0) },
          },
        ]);
    });

    it('declines any checkout at a terminal risk quarantined, offering nothing else', () => {
      const quarantined = (method: 'face' | 'phone_pin'): CheckoutEvent[] => [
        { ...started, data: { ...started.data, method } },
        {
          type: 'PaymentDeclined',
          data: {
            checkoutId: CHECKOUT_ID,
            reason: 'terminal_quarantined',
            customerId: null,
            fallback: null,
            declinedAt: iso(0),
          },
        },
      ];
      spec
        .given([])
        .when({ ...start, terminalQuarantined: true })
        .then(quarantined('face'));
      spec
        .given([])
        .when({ ...start, method: 'phone_pin', terminalQuarantined: true, terminalFaceLocked: true })
        .then(quarantined('phone_pin'));
    });

    it('declines a face checkout at a locked terminal and offers the PIN instead', () => {
      spec
        .given([])
        .when({ ...start, terminalFaceLocked: true })
        .then([
          started,
          {
            type: 'PaymentDeclined',
            data: {
              checkoutId: CHECKOUT_ID,
              reason: 'terminal_locked',
              customerId: null,
              fallback: 'phone_pin',
              declinedAt: iso(0),
            },
          },
        ]);
    });

    it('refuses invalid amounts, currencies, keys and ids', () => {
      spec
        .given([])
        .when({ ...start, amountMinor: 0n })
        .thenThrows('invalid_amount');
      spec
        .given([])
        .when({ ...start, amountMinor: -5n })
        .thenThrows('invalid_amount');
      spec
        .given([])
        .when({ ...start, amountMinor: 42 as unknown as bigint })
        .thenThrows('amount_invalid');
      spec
        .given([])
        .when({ ...start, currency: 'XXX' as 'EUR' })
        .thenThrows('currency_invalid');
      spec
        .given([])
        .when({ ...start, idempotencyKey: '' })
        .thenThrows('idempotencyKey_invalid');
      spec
        .given([])
        .when({ ...start, idempotencyKey: 'has space' })
        .thenThrows('idempotencyKey_invalid');
      spec
        .given([])
        .when({ ...start, terminalId: '' })
        .thenThrows('terminalId_invalid');
    });
  });

  describe('when a checkout exists under the key', () => {
    it('does nothing for the same request (a retry)', () => {
      spec
        .given([started])
        .when({ ...start, at: at(5) })
        .thenNothing();
    });

    it('refuses another request under the same key', () => {
      spec
        .given([started])
        .when({ ...start, amountMinor: 4251n })
        .thenThrows('idempotency_key_reused');
      spec
        .given([started])
        .when({ ...start, terminalId: 'ter_2' })
        .thenThrows('idempotency_key_reused');
    });
  });
});
