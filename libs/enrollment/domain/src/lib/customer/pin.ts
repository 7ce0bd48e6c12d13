import { DomainError } from '@smilepay/shared/domain';
import { requireId, requireTime } from '../guards';
import type { RecordPinAttempt, SetPin } from './customer.commands';
import type { CustomerEvent } from './customer.events';
import { PIN_FAILURE_LIMIT, type CustomerState } from './customer.state';
import { requireRegistered } from './customer.guards';

/** The PIN hash lives in the PIN vault (argon2id); the stream only records that a PIN exists. */
export function decideSetPin(command: SetPin, state: CustomerState): CustomerEvent[] {
  const customer = requireRegistered(state);
  const at = requireTime(command.at);
  return [{ type: 'PinSet', data: { customerId: customer.customerId, setAt: new Date(at).toISOString() } }];
}

/**
 * A short numeric PIN is guessable, so wrong PINs are counted like failed faces: after PIN_FAILURE_LIMIT in a row the
 * PIN is locked until the customer sets a new one (in the app, with their own phone).
 */
export function decideRecordPinAttempt(command: RecordPinAttempt, state: CustomerState): CustomerEvent[] {
  const customer = requireRegistered(state);
  requireId(command.checkoutId, 'checkoutId');
  const atMs = requireTime(command.at);
  if (customer.lastPinAttemptCheckoutId === command.checkoutId) return [];
  if (!customer.hasPin) throw new DomainError('pin_not_set', 'this customer has no PIN', 'precondition');
  if (customer.pinLocked) throw new DomainError('pin_locked', 'the PIN is locked; set a new one', 'forbidden');
  const at = new Date(atMs).toISOString();
  const { customerId } = customer;
  if (command.outcome === 'verified') {
    return [{ type: 'PinAttemptSucceeded', data: { customerId, checkoutId: command.checkoutId, succeededAt: at } }];
  }
  const consecutiveFailures = customer.pinConsecutiveFailures + 1;
  const events: CustomerEvent[] = [
    {
      type: 'PinAttemptFailed',
      data: { customerId, checkoutId: command.checkoutId, consecutiveFailures, failedAt: at },
    },
  ];
  if (consecutiveFailures >= PIN_FAILURE_LIMIT) {
    events.push({ type: 'PinLocked', data: { customerId, consecutiveFailures, lockedAt: at } });
  }
  return events;
}
