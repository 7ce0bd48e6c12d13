import { DomainError } from '@smilepay/shared/domain';
import { assertAmountInRange, isCurrency } from '@smilepay/ledger/domain';
import type { StartCheckout } from '../checkout.commands';
import type { CheckoutEvent } from '../checkout.events';
import type { Checkout, CheckoutState } from '../checkout.state';
import { requireId, requireTime } from '../guards';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * Starting is idempotent on the idempotency key: the application derives the checkout id from (merchant, key), so a
 * retry lands on the same stream. The same request again does nothing; another request under the same key is refused.
 */
export function decideStartCheckout(command: StartCheckout, state: CheckoutState): CheckoutEvent[] {
  validate(command);
  const at = new Date(requireTime(command.at)).toISOString();
  if (state.status !== 'none') {
    if (sameRequest(state, command)) return [];
    throw new DomainError(
      'idempotency_key_reused',
      'this idempotency key was used for another checkout request',
      'conflict',
    );
  }
  const { checkoutId } = command;
  const events: CheckoutEvent[] = [
    {
      type: 'CheckoutStarted',
      data: {
        checkoutId,
        merchantId: command.merchantId,
        merchantAccountId: command.merchantAccountId,
        terminalId: command.terminalId,
        terminalSessionId: command.terminalSessionId,
        amountMinor: command.amountMinor.toString(),
        currency: command.currency,
        idempotencyKey: command.idempotencyKey,
        method: command.method,
        startedAt: at,
      },
    },
  ];
  if (command.terminalQuarantined) {
    // Risk took the terminal out of service: no method may pay here, so nothing is offered instead.
    events.push({
      type: 'PaymentDeclined',
      data: { checkoutId, reason: 'terminal_quarantined', customerId: null, fallback: null, declinedAt: at },
    });
  } else if (command.method === 'phone_pin') {
    events.push({
      type: 'PhoneFactorRequested',
      data: { checkoutId, digits: 11, reason: 'pin_method', requestedAt: at },
    });
  } else if (command.terminalFaceLocked) {
    // The terminal is under a face attack: no face is even looked at, but the customer can still pay with a PIN.
    events.push({
      type: 'PaymentDeclined',
      data: { checkoutId, reason: 'terminal_locked', customerId: null, fallback: 'phone_pin', declinedAt: at },
    });
  }
  return events;
}

function validate(command: StartCheckout): void {
  requireId(command.checkoutId, 'checkoutId');
  requireId(command.merchantId, 'merchantId');
  requireId(command.merchantAccountId, 'merchantAccountId');
  requireId(command.terminalId, 'terminalId');
  requireId(command.terminalSessionId, 'terminalSessionId');
  if (typeof command.amountMinor !== 'bigint') throw new DomainError('amount_invalid', 'amountMinor must be a bigint');
  assertAmountInRange(command.amountMinor);
  if (!isCurrency(command.currency)) throw new DomainError('currency_invalid', 'unsupported currency');
  if (typeof command.idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(command.idempotencyKey)) {
    throw new DomainError('idempotencyKey_invalid', 'the idempotency key must be 1-128 printable ASCII characters');
  }
  if (command.method !== 'face' && command.method !== 'phone_pin')
    throw new DomainError('method_invalid', 'unknown checkout method');
}

function sameRequest(state: Checkout, command: StartCheckout): boolean {
  return (
    state.checkoutId === command.checkoutId &&
    state.merchantId === command.merchantId &&
    state.merchantAccountId === command.merchantAccountId &&
    state.terminalId === command.terminalId &&
    state.terminalSessionId === command.terminalSessionId &&
    state.amountMinor === command.amountMinor &&
    state.currency === command.currency &&
    state.idempotencyKey === command.idempotencyKey &&
    state.method === command.method
  );
}
